package org.gridwatch.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "gridwatch.registry")
public interface RegistryConfig {

    /**
     * Where the community loaded at start-up comes from: {@code classpath:NAME}, a file path, or
     * {@code none}. Its entities are published to the registry topic when they differ from it.
     */
    @WithDefault("classpath:demo-community.json")
    String seedFile();

    /** How long start-up waits to read the registry topic before it publishes the seed. */
    @WithDefault("60s")
    java.time.Duration catchUpTimeout();
}
