package org.gridwatch.testsupport;

/** Where the tests' Kafka broker, MQTT broker and PostgreSQL database are, however they were obtained. */
public record Endpoints(String kafkaBootstrap, String mqttUrl, String jdbcUrl, String jdbcUser, String jdbcPassword,
                        String source) {

    @Override
    public String toString() {
        return "Kafka " + kafkaBootstrap + ", MQTT " + mqttUrl + ", PostgreSQL " + jdbcUrl + " (" + source + ")";
    }
}
