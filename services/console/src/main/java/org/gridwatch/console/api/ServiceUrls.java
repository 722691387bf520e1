package org.gridwatch.console.api;

import io.smallrye.config.ConfigMapping;

/** Where the services the console reads are (each one's public API). */
@ConfigMapping(prefix = "gridwatch.console")
public interface ServiceUrls {

    String registryUrl();

    String alertRoutingUrl();

    String gridDispatchUrl();

    String telemetryUrl();

    String detectionUrl();
}
