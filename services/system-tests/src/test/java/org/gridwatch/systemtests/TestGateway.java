package org.gridwatch.systemtests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.gridwatch.simulator.Uplink;

/**
 * A gateway as the tests play it ({@link GridWatchSystem#gateway} connects one with credentials
 * the registry issued): a Paho MQTT 5 client, client id and user name the gateway's id,
 * publishing at QoS 1 on its own topics
 * through the simulator's {@link Uplink}, as the simulated gateways do: a bounded window in
 * flight, and what the broker has not acknowledged sent again once it has reconnected (after the
 * broker was killed, say).
 */
final class TestGateway implements AutoCloseable {

    private static final int WINDOW = 200;
    private static final Duration FLUSH_TIMEOUT = Duration.ofMinutes(2);

    private final String gatewayId;
    private final MqttAsyncClient client;
    private final Uplink uplink;

    TestGateway(String mqttUrl, String gatewayId, String secret) throws MqttException {
        this.gatewayId = gatewayId;
        this.client = new MqttAsyncClient(mqttUrl, gatewayId, new MemoryPersistence());
        this.uplink = new Uplink(client, WINDOW, Integer.MAX_VALUE);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(gatewayId);
        options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setReceiveMaximum(WINDOW);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        client.connect(options).waitForCompletion(30_000);
    }

    String telemetryTopic() {
        return "gridwatch/v1/" + gatewayId + "/telemetry";
    }

    void publishJson(String json) throws MqttException {
        publish(telemetryTopic(), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /**
     * A mattress's heart rate held at {@code bpm} in bed for 75 s, as a gateway uploads a backlog:
     * a reading every 5 s, observed in the past, sent now. Longer than V1's window, so a rate in
     * its CRITICAL band raises an alert at once.
     */
    void publishSustainedHeartRate(String mattress, int bpm) throws MqttException {
        java.time.Instant start = java.time.Instant.now().minusSeconds(80).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        for (int s = 0; s <= 75; s += 5) {
            publishJson("""
                    {"eventId":"hr-%s-%d","deviceId":"%s","observedAt":"%s","values":{"heartRate":%d,"inBed":1}}
                    """.formatted(run, s, mattress, start.plusSeconds(s), bpm));
        }
    }

    void publishProtobuf(byte[] payload) throws MqttException {
        publish(telemetryTopic(), payload, "application/x-protobuf");
    }

    void publish(String topic, byte[] payload, String contentType) throws MqttException {
        MqttProperties properties = new MqttProperties();
        if (contentType != null) {
            properties.setContentType(contentType);
        }
        uplink.publish(topic, new MqttMessage(payload, 1, false, properties));
    }

    /** Messages published but not yet acknowledged by the broker. */
    int backlog() {
        return uplink.backlog();
    }

    /** Waits until the broker has acknowledged everything published so far. */
    void flush() throws InterruptedException {
        if (!uplink.flush(FLUSH_TIMEOUT)) {
            throw new AssertionError(gatewayId + ": the broker did not acknowledge " + uplink.backlog()
                    + " messages within " + FLUSH_TIMEOUT.toSeconds() + " s (" + uplink.state() + ")");
        }
    }

    @Override
    public void close() throws MqttException, InterruptedException {
        try {
            flush();
        } finally {
            uplink.close();
        }
        try {
            client.disconnect().waitForCompletion(10_000);
        } catch (MqttException e) {
            // Everything was acknowledged: a connection that dropped (or a token of one that did) has nothing left to say.
        }
        client.close(true);
    }
}
