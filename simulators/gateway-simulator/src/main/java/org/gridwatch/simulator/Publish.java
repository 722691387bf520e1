package org.gridwatch.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.ReadingBatch;

/**
 * Publishes one message as a gateway would, for integrators trying the contract by hand:
 * <pre>
 * java -cp simulators/gateway-simulator/target/gateway-simulator.jar org.gridwatch.simulator.Publish \
 *     --gateway gw-b1-101 [--kind telemetry|events|status] [--protobuf] [--mqtt tcp://localhost:1883] \
 *     '{"eventId":"my-1","deviceId":"mat-b1-101","observedAt":"2026-11-27T08:00:00Z","values":{"heartRate":72}}'
 * </pre>
 * The payload is JSON, or {@code @file} to read it from a file. With {@code --protobuf} telemetry
 * JSON is transcoded and sent as a protobuf ReadingBatch. Exits once the broker acknowledged it.
 */
public final class Publish {

    private Publish() {
    }

    public static void main(String[] args) throws Exception {
        String mqtt = System.getenv().getOrDefault("GRIDWATCH_MQTT_URL", "tcp://localhost:1883");
        String gateway = null;
        String kind = "telemetry";
        boolean protobuf = false;
        String payload = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mqtt" -> mqtt = args[++i];
                case "--gateway" -> gateway = args[++i];
                case "--kind" -> kind = args[++i];
                case "--protobuf" -> protobuf = true;
                default -> payload = args[i];
            }
        }
        if (gateway == null || payload == null || !List.of("telemetry", "events", "status").contains(kind)) {
            System.err.println("usage: Publish --gateway ID [--kind telemetry|events|status] [--protobuf] "
                    + "[--mqtt tcp://localhost:1883] JSON|@file");
            System.exit(2);
        }
        String json = payload.startsWith("@") ? Files.readString(Path.of(payload.substring(1))) : payload;
        MqttMessage message = message(json, protobuf && kind.equals("telemetry"));
        String topic = "gridwatch/v1/" + gateway + "/" + kind;
        MqttAsyncClient client = new MqttAsyncClient(mqtt, "publish-" + UUID.randomUUID(), new MemoryPersistence());
        client.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
        client.publish(topic, message).waitForCompletion(10_000);
        client.disconnect().waitForCompletion(5_000);
        client.close();
        System.out.println("published " + message.getPayload().length + " bytes to " + topic + " ("
                + message.getProperties().getContentType() + "), acknowledged by the broker");
    }

    private static MqttMessage message(String json, boolean protobuf) throws IOException, PayloadException {
        MqttProperties properties = new MqttProperties();
        byte[] bytes;
        if (protobuf) {
            List<Reading> readings = ProtoJson.decodeReadings(json.getBytes(StandardCharsets.UTF_8), null);
            bytes = ReadingBatch.newBuilder().addAllReadings(readings).build().toByteArray();
            properties.setContentType(ProtoJson.CONTENT_TYPE_PROTOBUF);
        } else {
            bytes = json.getBytes(StandardCharsets.UTF_8);
            properties.setContentType(ProtoJson.CONTENT_TYPE_JSON);
        }
        return new MqttMessage(bytes, 1, false, properties);
    }
}
