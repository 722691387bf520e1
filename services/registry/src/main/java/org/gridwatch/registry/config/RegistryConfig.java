package org.gridwatch.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "gridwatch.registry")
public interface RegistryConfig {

    /**
     * What is loaded at start-up, in order: each {@code classpath:NAME}, a file path, or {@code none}.
     * The default is the sensor-type catalog of every sensor of the source, the default
     * detection rules of detection-rules.md, then the demo
     * community. Entities are published to the registry topic when they differ from it.
     */
    @WithDefault("classpath:sensor-types.json,classpath:rules.json,classpath:demo-community.json")
    java.util.List<String> seedFiles();

    /** How long start-up waits to read the registry topic before it publishes the seed. */
    @WithDefault("60s")
    java.time.Duration catchUpTimeout();
}
