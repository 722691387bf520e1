package org.gridwatch.testsupport;

/**
 * Where the tests' Kafka broker, MQTT broker and PostgreSQL database are, however they were
 * obtained, and the ingest-bridge's secret at that MQTT broker.
 */
public record Endpoints(String kafkaBootstrap, String mqttUrl, String mqttBridgePassword, String jdbcUrl,
                        String jdbcUser, String jdbcPassword, String source) {

    @Override
    public String toString() {
        return "Kafka " + kafkaBootstrap + ", MQTT " + mqttUrl + ", PostgreSQL " + jdbcUrl + " (" + source + ")";
    }
}
