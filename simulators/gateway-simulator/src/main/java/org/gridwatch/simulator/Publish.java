package org.gridwatch.simulator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.TrustedCa;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.ReadingBatch;

/**
 * Publishes one message as a gateway would, for integrators trying the contract by hand:
 * <pre>
 * java -cp simulators/gateway-simulator/target/gateway-simulator.jar org.gridwatch.simulator.Publish \
 *     --gateway gw-b1-101 --secret SECRET [--kind telemetry|events|status] [--protobuf] [--mqtt tcp://localhost:1883] \
 *     '{"eventId":"my-1","deviceId":"mat-b1-101","observedAt":"2026-11-27T08:00:00Z","values":{"heartRate":72}}'
 * </pre>
 * It connects as the gateway (client id and user name its id) with the secret the registry issued
 * ({@code POST /api/v1/gateways/{id}/credentials}; also {@code GRIDWATCH_MQTT_SECRET}), or with
 * {@code --secrets-file FILE} the one the simulator keeps there ({@code make run}: {@code
 * .local/gateway-secrets.properties}). That takes the gateway's session over for a moment: a
 * simulated gateway reconnects by itself. The payload is JSON, or {@code @file}
 * to read it from a file. Over TLS, {@code --mqtt ssl://localhost:8883 --ca-file .local/mqtt/tls/ca.pem}.
 * With {@code --protobuf} telemetry JSON is transcoded and sent as a
 * protobuf ReadingBatch. Exits once the broker acknowledged it, or says why the broker refused it.
 */
public final class Publish {

    private Publish() {
    }

    public static void main(String[] args) throws Exception {
        String mqtt = System.getenv().getOrDefault("GRIDWATCH_MQTT_URL", "tcp://localhost:1883");
        String gateway = null;
        String secret = System.getenv("GRIDWATCH_MQTT_SECRET");
        Path secretsFile = null;
        Path caFile = null;
        String kind = "telemetry";
        boolean protobuf = false;
        String payload = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mqtt" -> mqtt = args[++i];
                case "--gateway" -> gateway = args[++i];
                case "--secret" -> secret = args[++i];
                case "--secrets-file" -> secretsFile = Path.of(args[++i]);
                case "--ca-file" -> caFile = Path.of(args[++i]);
                case "--kind" -> kind = args[++i];
                case "--protobuf" -> protobuf = true;
                default -> payload = args[i];
            }
        }
        if (secret == null && secretsFile != null && gateway != null) {
            Properties secrets = new Properties();
            try (Reader in = Files.newBufferedReader(secretsFile, StandardCharsets.UTF_8)) {
                secrets.load(in);
            }
            secret = secrets.getProperty(gateway);
            if (secret == null) {
                System.err.println(secretsFile + " has no secret for " + gateway);
                System.exit(2);
            }
        }
        if (gateway == null || secret == null || payload == null
                || !List.of("telemetry", "events", "status").contains(kind)) {
            System.err.println("usage: Publish --gateway ID (--secret SECRET | --secrets-file FILE) [--kind telemetry|events|status] [--protobuf] "
                    + "[--mqtt tcp://localhost:1883 | --mqtt ssl://localhost:8883 --ca-file ca.pem] JSON|@file\n(the secret: POST /api/v1/gateways/ID/credentials on the registry)");
            System.exit(2);
        }
        String json = payload.startsWith("@") ? Files.readString(Path.of(payload.substring(1))) : payload;
        MqttMessage message = message(json, protobuf && kind.equals("telemetry"));
        String topic = "gridwatch/v1/" + gateway + "/" + kind;
        MqttAsyncClient client = new MqttAsyncClient(mqtt, gateway, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(gateway);
        options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        if (caFile != null) {
            options.setSocketFactory(TrustedCa.socketFactory(caFile));
            options.setHttpsHostnameVerificationEnabled(true);
        }
        IMqttToken published;
        try {
            client.connect(options).waitForCompletion(10_000);
            published = client.publish(topic, message);
            published.waitForCompletion(10_000);
        } catch (MqttException e) {
            System.err.println("The broker refused: " + e.getMessage() + " (reason code " + e.getReasonCode() + ")");
            client.close(true);
            System.exit(1);
            return;
        }
        int[] reasons = published.getReasonCodes();
        if (reasons != null && reasons.length > 0 && reasons[0] >= 0x80) {
            System.err.println("The broker did not take the message on " + topic + " (reason code " + reasons[0] + ")");
            System.exit(1);
        }
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
