package org.gridwatch.testsupport;

import java.nio.file.Path;

/**
 * Where the tests' Kafka broker, MQTT broker and PostgreSQL database are, however they were
 * obtained, the ingest-bridge's secret at that MQTT broker, and the OpenID Connect issuer whose
 * tokens the services accept (null where there is none).
 */
public record Endpoints(String kafkaBootstrap, String mqttUrl, String mqttBridgePassword, MqttTls mqttTls,
                        String jdbcUrl, String jdbcUser, String jdbcPassword, String oidcIssuer, String source) {

    /** The broker's TLS listener and the CA certificate (PEM) that signed its certificate; null where there is none. */
    public record MqttTls(String url, Path caFile) {
    }

    @Override
    public String toString() {
        return "Kafka " + kafkaBootstrap + ", MQTT " + mqttUrl + ", PostgreSQL " + jdbcUrl + " (" + source + ")";
    }
}
