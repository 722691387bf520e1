package org.gridwatch.ingest.domain;

import java.util.Optional;

/**
 * A GridWatch MQTT topic: {@code gridwatch/v1/{gatewayId}/{telemetry|events|status}}. The gateway
 * id in the topic is the authority on who published, because the broker can restrict each gateway
 * to its own topics.
 */
public record MqttTopic(String gatewayId, Kind kind) {

    public enum Kind {
        TELEMETRY, EVENTS, STATUS
    }

    private static final String PREFIX = "gridwatch/v1/";

    public static Optional<MqttTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = topic.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty()) {
            return Optional.empty();
        }
        Kind kind = switch (parts[1]) {
            case "telemetry" -> Kind.TELEMETRY;
            case "events" -> Kind.EVENTS;
            case "status" -> Kind.STATUS;
            default -> null;
        };
        return kind == null ? Optional.empty() : Optional.of(new MqttTopic(parts[0], kind));
    }
}
