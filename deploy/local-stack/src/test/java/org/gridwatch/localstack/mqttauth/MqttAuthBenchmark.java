package org.gridwatch.localstack.mqttauth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.gridwatch.contract.CredentialHash;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.localstack.HiveMqConfig;
import org.gridwatch.localstack.MqttNode;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * What the broker's security costs ({@code make bench-mqtt-auth}): the same embedded HiveMQ, the
 * same configuration, once with an authenticator that lets everyone in at once (the least a HiveMQ
 * broker runs with: without any authenticator it refuses every client) and once with GridWatch's
 * {@link BrokerSecurity} (credentials given in memory instead of read from Kafka; the checks are
 * the broker's own: slow hash on the extension's executor, then the cache of verified secrets, the
 * default permissions, the publish authorizer). Measured in one run, each side the same way:
 * <ul>
 *   <li>connects/s of N gateways, each its first CONNECT (a slow hash each), then again (the cache);</li>
 *   <li>messages/s from gateways publishing QoS 1 to their own topics to one shared subscriber with
 *       the bridge's credentials, as the ingest-bridge reads them.</li>
 * </ul>
 * Writes {@code target/bench/mqtt-auth.txt}. Measured, never asserted.
 */
public final class MqttAuthBenchmark {

    private static final String BRIDGE_SECRET = "benchmark-bridge-secret";

    private MqttAuthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // --name value or --name=value, as the other benchmarks take them.
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            if (name.contains("=")) {
                options.put(name.substring(0, name.indexOf('=')), name.substring(name.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            }
        }
        int gateways = Integer.parseInt(options.getOrDefault("gateways", "1000"));
        int publishers = Integer.parseInt(options.getOrDefault("publishers", "20"));
        int messages = Integer.parseInt(options.getOrDefault("messages", "20000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        Path report = Path.of(options.getOrDefault("report", "target/bench/mqtt-auth.txt"));

        Map<String, MqttCredential> credentials = new ConcurrentHashMap<>();
        Map<String, String> secrets = new ConcurrentHashMap<>();
        for (int i = 0; i < gateways; i++) {
            String id = "bench-gw-" + i;
            CredentialHash.Issued issued = CredentialHash.issue(id, Instant.now());
            credentials.put(id, issued.credential());
            secrets.put(id, issued.secret());
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("GridWatch MQTT broker security: HiveMQ CE embedded, %d gateways, %d publishers x %d "
                + "messages QoS 1, medians of %d rounds, 2 cores, %s", gateways, publishers, messages / publishers, rounds,
                Instant.now()));
        Map<String, double[]> results = new java.util.LinkedHashMap<>();
        for (String mode : List.of("allow-all", "gridwatch")) {
            double[] cold = new double[rounds];
            double[] warm = new double[rounds];
            double[] throughput = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ExtensionMain security = mode.equals("allow-all") ? new AllowAll()
                        : BrokerSecurity.withCredentials(id -> Optional.ofNullable(credentials.get(id)),
                                List.of(new MqttPrincipals.Service(MqttNode.BRIDGE_USER, BRIDGE_SECRET, MqttNode.BRIDGE_GROUP)));
                Path home = Files.createTempDirectory("gridwatch-mqtt-bench-");
                int port = freePort();
                EmbeddedHiveMQ broker = start(home, port, security);
                try {
                    String url = "tcp://127.0.0.1:" + port;
                    cold[round] = connectsPerSecond(url, secrets);
                    warm[round] = connectsPerSecond(url, secrets);
                    throughput[round] = messagesPerSecond(url, secrets, publishers, messages);
                } finally {
                    broker.stop().join();
                    broker.close();
                }
                System.out.printf("%s round %d: first connects %.0f/s, again %.0f/s, messages %.0f/s%n", mode, round + 1,
                        cold[round], warm[round], throughput[round]);
            }
            results.put(mode, new double[] {median(cold), median(warm), median(throughput)});
        }
        double[] open = results.get("allow-all");
        double[] secured = results.get("gridwatch");
        String[] names = {"connects/s, each gateway's first", "connects/s, again (verified secret cached)",
                "messages/s to the bridge's shared subscription"};
        for (int i = 0; i < names.length; i++) {
            lines.add(String.format("%-46s allow-all %8.0f   gridwatch %8.0f   cost %5.1f %%", names[i], open[i], secured[i],
                    100 * (1 - secured[i] / open[i])));
        }
        String text = String.join("\n", lines) + "\n";
        System.out.print(text);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
        System.exit(0);
    }

    private static EmbeddedHiveMQ start(Path home, int port, ExtensionMain security) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        Files.writeString(home.resolve("conf").resolve("config.xml"), HiveMqConfig.xml(port, "127.0.0.1"),
                StandardCharsets.UTF_8);
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder().withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data")).withExtensionsFolder(home.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder().withId("bench-security").withName("bench security")
                        .withVersion("1").withPriority(1000).withStartPriority(1000).withExtensionMain(security).build())
                .build();
        broker.start().join();
        return broker;
    }

    /** Every gateway connects (64 at a time) and disconnects; connects per second of the whole. */
    private static double connectsPerSecond(String url, Map<String, String> secrets) throws Exception {
        Semaphore inFlight = new Semaphore(64);
        CountDownLatch done = new CountDownLatch(secrets.size());
        AtomicLong refused = new AtomicLong();
        List<MqttAsyncClient> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (Map.Entry<String, String> gateway : secrets.entrySet()) {
            inFlight.acquire();
            MqttAsyncClient client = new MqttAsyncClient(url, gateway.getKey(), new MemoryPersistence());
            clients.add(client);
            client.connect(options(gateway.getKey(), gateway.getValue()), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inFlight.release();
                    done.countDown();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    refused.incrementAndGet();
                    inFlight.release();
                    done.countDown();
                }
            });
        }
        done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        // All at once: one by one, waiting for each, took minutes for a thousand.
        List<IMqttToken> leaving = new ArrayList<>();
        for (MqttAsyncClient client : clients) {
            if (client.isConnected()) {
                leaving.add(client.disconnect(0));
            }
        }
        for (IMqttToken token : leaving) {
            token.waitForCompletion(10_000);
        }
        for (MqttAsyncClient client : clients) {
            client.close(true);
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " connects refused: the benchmark is not measuring what it says");
        }
        return secrets.size() / seconds;
    }

    /** Publishers send QoS 1 on their own topics; the shared subscriber's rate of arrival. */
    private static double messagesPerSecond(String url, Map<String, String> secrets, int publishers, int messages)
            throws Exception {
        CountDownLatch received = new CountDownLatch(messages);
        MqttAsyncClient bridge = new MqttAsyncClient(url, "bench-bridge", new MemoryPersistence());
        bridge.setCallback(new CountingCallback(received));
        bridge.connect(options(MqttNode.BRIDGE_USER, BRIDGE_SECRET)).waitForCompletion(30_000);
        bridge.subscribe("$share/" + MqttNode.BRIDGE_GROUP + "/gridwatch/v1/+/telemetry", 1).waitForCompletion(30_000);
        List<MqttAsyncClient> senders = new ArrayList<>();
        List<String> ids = new ArrayList<>(secrets.keySet()).subList(0, publishers);
        for (String id : ids) {
            MqttAsyncClient sender = new MqttAsyncClient(url, id, new MemoryPersistence());
            MqttConnectionOptions connection = options(id, secrets.get(id));
            connection.setReceiveMaximum(1000);
            sender.connect(connection).waitForCompletion(30_000);
            senders.add(sender);
        }
        byte[] payload = ("{\"eventId\":\"bench\",\"deviceId\":\"mat-1\",\"observedAt\":\"2026-12-08T00:00:00Z\","
                + "\"values\":{\"heartRate\":72,\"inBed\":1}}").getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Thread[] threads = new Thread[senders.size()];
        for (int p = 0; p < senders.size(); p++) {
            MqttAsyncClient sender = senders.get(p);
            String topic = "gridwatch/v1/" + ids.get(p) + "/telemetry";
            int count = messages / senders.size();
            threads[p] = new Thread(() -> {
                Semaphore window = new Semaphore(100);
                try {
                    for (int m = 0; m < count; m++) {
                        window.acquire();
                        MqttMessage message = new MqttMessage(payload);
                        message.setQos(1);
                        sender.publish(topic, message, null, new MqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                window.release();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable failure) {
                                window.release();
                            }
                        });
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads[p].start();
        }
        boolean all = received.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Thread thread : threads) {
            thread.join();
        }
        for (MqttAsyncClient sender : senders) {
            sender.disconnect().waitForCompletion(5_000);
            sender.close();
        }
        bridge.disconnect().waitForCompletion(5_000);
        bridge.close();
        if (!all) {
            throw new IllegalStateException(received.getCount() + " messages did not arrive");
        }
        return (messages - received.getCount()) / seconds;
    }

    private static MqttConnectionOptions options(String user, String secret) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setConnectionTimeout(60);
        return options;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The least security HiveMQ runs with: every client in, no checks. */
    static final class AllowAll implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(provider ->
                    (SimpleAuthenticator) (auth, answer) -> answer.authenticateSuccessfully());
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }
    }

    /** Counts the messages the subscriber receives. */
    private record CountingCallback(CountDownLatch received) implements org.eclipse.paho.mqttv5.client.MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.countDown();
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
        }
    }
}
