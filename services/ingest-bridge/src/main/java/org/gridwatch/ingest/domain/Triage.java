package org.gridwatch.ingest.domain;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.DeviceEvent;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.registryview.RegistryState;

import com.google.protobuf.Timestamp;

/**
 * Decides what one MQTT message becomes in Kafka: accepted readings, events or status keyed by
 * device (or gateway), and dead-letter records with a reason for everything refused. One bad
 * reading in a batch is refused alone; the others go through.
 */
public final class Triage {

    /** W3C trace context, as an MQTT 5 user property and as a Kafka header. */
    public static final String TRACEPARENT = "traceparent";

    private final RegistryState registry;
    private final Clock clock;

    public Triage(RegistryState registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public List<Outgoing> triage(String mqttTopic, byte[] payload, String contentType) {
        return triage(mqttTopic, payload, contentType, null);
    }

    /**
     * @param traceparent the W3C trace context the gateway sent as an MQTT 5 user property, or null;
     *                    it travels on as a Kafka header of every record made from the message
     */
    public List<Outgoing> triage(String mqttTopic, byte[] payload, String contentType, String traceparent) {
        List<Outgoing> records = triageUntraced(mqttTopic, payload, contentType);
        if (traceparent == null || traceparent.isBlank()) {
            return records;
        }
        return records.stream().map(record -> {
            Map<String, String> headers = new LinkedHashMap<>(record.headers());
            headers.put(TRACEPARENT, traceparent);
            return new Outgoing(record.topic(), record.key(), record.value(), headers);
        }).toList();
    }

    private List<Outgoing> triageUntraced(String mqttTopic, byte[] payload, String contentType) {
        Optional<MqttTopic> topic = MqttTopic.parse(mqttTopic);
        if (topic.isEmpty()) {
            return List.of(deadLetter(mqttTopic, "", mqttTopic, payload, contentType,
                    new PayloadException(RejectReason.BAD_TOPIC, "Topic '" + mqttTopic
                            + "' is not gridwatch/v1/{gatewayId}/{telemetry|events|status}")));
        }
        String gatewayId = topic.get().gatewayId();
        try {
            return switch (topic.get().kind()) {
                case TELEMETRY -> readings(mqttTopic, gatewayId, payload, contentType);
                case EVENTS -> List.of(event(mqttTopic, gatewayId, payload, contentType));
                case STATUS -> List.of(status(mqttTopic, gatewayId, payload, contentType));
            };
        } catch (PayloadException e) {
            return List.of(deadLetter(mqttTopic, gatewayId, gatewayId, payload, contentType, e));
        }
    }

    private List<Outgoing> readings(String mqttTopic, String gatewayId, byte[] payload, String contentType)
            throws PayloadException {
        List<Reading> readings = ProtoJson.decodeReadings(payload, contentType);
        if (readings.isEmpty()) {
            throw new PayloadException(RejectReason.MISSING_FIELD, "The message holds no readings");
        }
        Timestamp now = Timestamps.of(clock.instant());
        List<Outgoing> out = new ArrayList<>(readings.size());
        for (Reading reading : readings) {
            try {
                Device device = checkDevice(gatewayId, reading.getGatewayId(), reading.getDeviceId(),
                        reading.getSensorType());
                requireIdentity(reading.getEventId(), reading.hasObservedAt());
                if (reading.getValuesCount() == 0 && reading.getAttributesCount() == 0) {
                    throw new PayloadException(RejectReason.MISSING_FIELD, "Reading " + reading.getEventId()
                            + " has no values");
                }
                ReadingCheck.check(sensorType(device), reading.getValuesMap());
                Reading accepted = reading.toBuilder().setGatewayId(gatewayId).setSensorType(device.getSensorType())
                        .setReceivedAt(now).build();
                out.add(new Outgoing(Topics.READINGS, device.getId(), accepted.toByteArray(), Map.of()));
            } catch (PayloadException e) {
                String key = reading.getDeviceId().isEmpty() ? gatewayId : reading.getDeviceId();
                out.add(deadLetter(mqttTopic, gatewayId, key, ProtoJson.toJson(reading).getBytes(StandardCharsets.UTF_8),
                        ProtoJson.CONTENT_TYPE_JSON, e));
            }
        }
        return out;
    }

    private Outgoing event(String mqttTopic, String gatewayId, byte[] payload, String contentType)
            throws PayloadException {
        DeviceEvent event = ProtoJson.decodeDeviceEvent(payload, contentType);
        Device device = checkDevice(gatewayId, event.getGatewayId(), event.getDeviceId(), event.getSensorType());
        requireIdentity(event.getEventId(), event.hasObservedAt());
        if (event.getEventType().isBlank()) {
            throw new PayloadException(RejectReason.MISSING_FIELD, "Event " + event.getEventId() + " has no eventType");
        }
        DeviceEvent accepted = event.toBuilder().setGatewayId(gatewayId).setSensorType(device.getSensorType())
                .setReceivedAt(Timestamps.of(clock.instant())).build();
        return new Outgoing(Topics.DEVICE_EVENTS, device.getId(), accepted.toByteArray(), Map.of());
    }

    private Outgoing status(String mqttTopic, String gatewayId, byte[] payload, String contentType)
            throws PayloadException {
        GatewayStatus status = ProtoJson.decodeGatewayStatus(payload, contentType);
        if (registry.gateway(gatewayId).isEmpty()) {
            throw new PayloadException(RejectReason.UNKNOWN_GATEWAY, "Gateway " + gatewayId + " is not registered");
        }
        if (!status.getGatewayId().isEmpty() && !status.getGatewayId().equals(gatewayId)) {
            throw new PayloadException(RejectReason.GATEWAY_MISMATCH, "Status names gateway " + status.getGatewayId()
                    + " but was published on the topic of " + gatewayId);
        }
        GatewayStatus.Builder accepted = status.toBuilder().setGatewayId(gatewayId);
        if (!status.hasObservedAt()) {
            // A Last Will carries no time of its own: it happened when the broker sent it.
            accepted.setObservedAt(Timestamps.of(clock.instant()));
        }
        return new Outgoing(Topics.GATEWAY_STATUS, gatewayId, accepted.build().toByteArray(), Map.of());
    }

    private Device checkDevice(String topicGateway, String claimedGateway, String deviceId, String sensorType)
            throws PayloadException {
        if (deviceId.isBlank()) {
            throw new PayloadException(RejectReason.MISSING_FIELD, "deviceId is missing");
        }
        if (!claimedGateway.isEmpty() && !claimedGateway.equals(topicGateway)) {
            throw new PayloadException(RejectReason.GATEWAY_MISMATCH, "The payload names gateway " + claimedGateway
                    + " but was published on the topic of " + topicGateway);
        }
        Device device = registry.device(deviceId).orElseThrow(() -> new PayloadException(RejectReason.UNKNOWN_DEVICE,
                "Device " + deviceId + " is not registered"));
        if (!device.getGatewayId().equals(topicGateway)) {
            throw new PayloadException(RejectReason.GATEWAY_MISMATCH, "Device " + deviceId + " belongs to gateway "
                    + device.getGatewayId() + ", not to " + topicGateway);
        }
        if (!sensorType.isEmpty() && !sensorType.equals(device.getSensorType())) {
            throw new PayloadException(RejectReason.SENSOR_TYPE_MISMATCH, "Device " + deviceId + " is registered as "
                    + device.getSensorType() + " but sent " + sensorType);
        }
        return device;
    }

    private SensorType sensorType(Device device) throws PayloadException {
        return registry.sensorType(device.getSensorType()).orElseThrow(() -> new PayloadException(
                RejectReason.UNKNOWN_SENSOR_TYPE, "Device " + device.getId() + " has sensor type '"
                + device.getSensorType() + "', which is not in the catalog"));
    }

    private static void requireIdentity(String eventId, boolean hasObservedAt) throws PayloadException {
        if (eventId.isBlank()) {
            throw new PayloadException(RejectReason.MISSING_FIELD, "eventId is missing");
        }
        if (!hasObservedAt) {
            throw new PayloadException(RejectReason.MISSING_FIELD, "observedAt is missing in " + eventId);
        }
    }

    private static Outgoing deadLetter(String mqttTopic, String gatewayId, String key, byte[] payload,
                                       String contentType, PayloadException reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Topics.HEADER_REASON, reason.reason().name());
        headers.put(Topics.HEADER_DETAIL, String.valueOf(reason.getMessage()));
        headers.put(Topics.HEADER_SOURCE_TOPIC, mqttTopic);
        headers.put(Topics.HEADER_GATEWAY, gatewayId);
        if (contentType != null && !contentType.isEmpty()) {
            headers.put(Topics.HEADER_CONTENT_TYPE, contentType);
        }
        return new Outgoing(Topics.INGEST_DEAD_LETTER, key, payload, headers);
    }
}
