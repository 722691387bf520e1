package org.gridwatch.contract;

import java.util.List;
import java.util.Map;

/**
 * Kafka topics of the v1 contract. Every producer creates the topics it writes with
 * {@link TopicAdmin#ensureTopics}, so a service can start before any other has run.
 */
public final class Topics {

    /** Accepted readings, key = device id, value = {@code gridwatch.v1.Reading}. */
    public static final String READINGS = "gridwatch.readings.v1";
    /** Discrete device events, key = device id, value = {@code gridwatch.v1.DeviceEvent}. */
    public static final String DEVICE_EVENTS = "gridwatch.device-events.v1";
    /** Gateway online/offline, key = gateway id, value = {@code gridwatch.v1.GatewayStatus}. */
    public static final String GATEWAY_STATUS = "gridwatch.gateway-status.v1";
    /** Rejected MQTT messages; value = the original payload, reason in headers. */
    public static final String INGEST_DEAD_LETTER = "gridwatch.ingest.dead-letter.v1";
    /** Findings, key = subject id, value = {@code gridwatch.v1.Detection}. */
    public static final String DETECTIONS = "gridwatch.detections.v1";
    /** Alert lifecycle, key = alert id, value = {@code gridwatch.v1.AlertEvent}. */
    public static final String ALERT_EVENTS = "gridwatch.alert-events.v1";
    /** Task lifecycle, key = task id, value = {@code gridwatch.v1.TaskEvent}. */
    public static final String TASK_EVENTS = "gridwatch.task-events.v1";
    /** Registry state, compacted, key = "{entity}/{id}", value = {@code gridwatch.v1.RegistryRecord}. */
    public static final String REGISTRY = "gridwatch.registry.v1";
    /** Rows the telemetry writer could never store; value = the original record, reason in headers. */
    public static final String TELEMETRY_DEAD_LETTER = "gridwatch.telemetry.dead-letter.v1";

    /** Records detection could not decode; value = the original bytes, reason in headers. */
    public static final String DETECTION_DEAD_LETTER = "gridwatch.detection.dead-letter.v1";

    /** Detections alert-routing could not decode or could never apply; value = the original bytes, reason in headers. */
    public static final String ALERT_ROUTING_DEAD_LETTER = "gridwatch.alert-routing.dead-letter.v1";

    /** Alert events grid-dispatch could not decode or could never act on; value = the original bytes, reason in headers. */
    public static final String GRID_DISPATCH_DEAD_LETTER = "gridwatch.grid-dispatch.dead-letter.v1";

    /** Header names used on dead-letter records ({@link DeadLetter}). */
    public static final String HEADER_REASON = "gridwatch-reason";
    public static final String HEADER_DETAIL = "gridwatch-reason-detail";
    public static final String HEADER_SOURCE_TOPIC = "gridwatch-source-topic";
    public static final String HEADER_GATEWAY = "gridwatch-gateway-id";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    /** Partitions for topics keyed by device, so detection and telemetry can scale out. */
    public static final int DEVICE_PARTITIONS = 6;

    private Topics() {
    }

    public record Spec(String name, int partitions, Map<String, String> config) {
    }

    public static Spec spec(String name) {
        return switch (name) {
            case REGISTRY -> new Spec(name, 1, Map.of("cleanup.policy", "compact"));
            case READINGS, DEVICE_EVENTS, DETECTIONS, ALERT_EVENTS, TASK_EVENTS ->
                    new Spec(name, DEVICE_PARTITIONS, Map.of());
            default -> new Spec(name, 1, Map.of());
        };
    }

    public static List<String> all() {
        return List.of(READINGS, DEVICE_EVENTS, GATEWAY_STATUS, INGEST_DEAD_LETTER, DETECTIONS,
                ALERT_EVENTS, TASK_EVENTS, REGISTRY, TELEMETRY_DEAD_LETTER, DETECTION_DEAD_LETTER,
                ALERT_ROUTING_DEAD_LETTER, GRID_DISPATCH_DEAD_LETTER);
    }
}
