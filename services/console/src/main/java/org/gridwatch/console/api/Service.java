package org.gridwatch.console.api;

/** The GridWatch services the console calls. */
public enum Service {
    REGISTRY, ALERT_ROUTING, GRID_DISPATCH, TELEMETRY, DETECTION;

    String baseUrl(ServiceUrls urls) {
        return switch (this) {
            case REGISTRY -> urls.registryUrl();
            case ALERT_ROUTING -> urls.alertRoutingUrl();
            case GRID_DISPATCH -> urls.gridDispatchUrl();
            case TELEMETRY -> urls.telemetryUrl();
            case DETECTION -> urls.detectionUrl();
        };
    }
}
