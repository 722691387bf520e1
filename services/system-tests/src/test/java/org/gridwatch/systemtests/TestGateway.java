package org.gridwatch.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A gateway as the tests play it: a Paho MQTT 5 client publishing at QoS 1 on its own topics.
 * Publishes keep a bounded window in flight and wait on their tokens, as a real gateway must
 * (the broker's Receive Maximum bounds what may be unacknowledged).
 */
final class TestGateway implements AutoCloseable {

    private static final int WINDOW = 200;

    private final String gatewayId;
    private final MqttAsyncClient client;
    private final Deque<IMqttToken> inFlight = new ArrayDeque<>();

    TestGateway(String mqttUrl, String gatewayId) throws MqttException {
        this.gatewayId = gatewayId;
        this.client = new MqttAsyncClient(mqttUrl, "test-" + gatewayId + "-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setReceiveMaximum(WINDOW);
        client.connect(options).waitForCompletion(30_000);
    }

    String telemetryTopic() {
        return "gridwatch/v1/" + gatewayId + "/telemetry";
    }

    void publishJson(String json) throws MqttException {
        publish(telemetryTopic(), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    void publishProtobuf(byte[] payload) throws MqttException {
        publish(telemetryTopic(), payload, "application/x-protobuf");
    }

    void publish(String topic, byte[] payload, String contentType) throws MqttException {
        MqttProperties properties = new MqttProperties();
        if (contentType != null) {
            properties.setContentType(contentType);
        }
        MqttMessage message = new MqttMessage(payload, 1, false, properties);
        if (inFlight.size() >= WINDOW) {
            inFlight.removeFirst().waitForCompletion(60_000);
        }
        inFlight.addLast(client.publish(topic, message));
    }

    /** Waits until the broker has acknowledged everything published so far. */
    void flush() throws MqttException {
        while (!inFlight.isEmpty()) {
            inFlight.removeFirst().waitForCompletion(60_000);
        }
    }

    @Override
    public void close() throws MqttException {
        flush();
        client.disconnect().waitForCompletion(10_000);
        client.close();
    }
}
