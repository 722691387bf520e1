package org.gridwatch.ingest.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "gridwatch.ingest")
public interface IngestConfig {

    /** MQTT broker, for example {@code tcp://localhost:1883}. */
    @WithDefault("tcp://localhost:1883")
    String mqttUrl();

    /** User name at the broker; the broker lets this user only read the shared subscription. */
    @WithDefault("ingest-bridge")
    String mqttUser();

    /**
     * The bridge's secret at the broker. The local stack makes one at first start and writes it to
     * its {@code endpoints.properties} ({@code mqtt.bridge.password}); without it the broker refuses the bridge.
     */
    Optional<String> mqttPassword();

    /**
     * For an {@code ssl://} broker: the CA certificate (PEM) to trust instead of the JVM's public
     * ones, for example the local stack's {@code mqtt/tls/ca.pem}.
     */
    Optional<Path> mqttCaFile();

    /**
     * MQTT client id. Must stay the same across restarts of one instance: the broker keeps its
     * session (and the messages that arrived while it was away) under this id. Defaults to
     * {@code gridwatch-ingest-<hostname>}.
     */
    Optional<String> clientId();

    /** Shared-subscription group; every bridge replica in the group gets a share of the messages. */
    @WithDefault("gridwatch-ingest")
    String sharedGroup();

    /** MQTT 5 Receive Maximum: QoS 1 messages the broker may have in flight to the bridge, unacknowledged. */
    @WithDefault("1000")
    int receiveMaximum();

    /** How long the broker keeps the bridge's session (and queues messages) while it is disconnected. */
    @WithDefault("7D")
    Duration sessionExpiry();

    /** How long start-up waits for the registry before subscribing (every device would look unknown before). */
    @WithDefault("120s")
    Duration registryTimeout();
}
