package org.gridwatch.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.gridwatch.localstack.mqttauth.BrokerSecurity;
import org.gridwatch.localstack.mqttauth.MqttPrincipals;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;

/**
 * HiveMQ CE, embedded in a JVM of its own with GridWatch's {@link BrokerSecurity} extension:
 * gateways by their registry credentials (read from Kafka), the ingest-bridge by the secret the
 * local stack made for it. {@link #main} runs in that child process.
 */
public final class MqttNode {

    /** The user name of the ingest-bridge at the broker, and its shared-subscription group. */
    public static final String BRIDGE_USER = "ingest-bridge";
    public static final String BRIDGE_GROUP = "gridwatch-ingest";

    private MqttNode() {
    }

    static ManagedProcess start(StackOptions options, Path dataDir, Path bridgeSecret, MqttTls tls)
            throws LocalStack.StartupException {
        Path home = dataDir.resolve("mqtt");
        try {
            Files.createDirectories(home.resolve("conf"));
            // The configuration holds the key store's password: its owner's only.
            Files.setPosixFilePermissions(home.resolve("conf"), PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            HiveMqConfig.TlsListener listener = new HiveMqConfig.TlsListener(options.mqttTlsPort(), tls.serverKeyStore(),
                    tls.password());
            Files.writeString(home.resolve("conf").resolve("config.xml"),
                    HiveMqConfig.xml(options.mqttPlain() ? options.mqttPort() : 0, listener, "127.0.0.1"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalStack.StartupException("cannot prepare MQTT folder " + home + ": " + e.getMessage());
        }
        return ManagedProcess.startJava("mqtt", dataDir.resolve("logs").resolve("mqtt.log"),
                List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC"), MqttNode.class.getName(),
                List.of(home.toString(), "127.0.0.1:" + options.kafkaPort(), bridgeSecret.toString()));
    }

    /** Arguments: the broker's home folder, Kafka's bootstrap address, the file of the bridge's secret. */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        String bridgeSecret = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).strip();
        BrokerSecurity security = new BrokerSecurity(args[1],
                List.of(new MqttPrincipals.Service(BRIDGE_USER, bridgeSecret, BRIDGE_GROUP)));
        int released = SharedQueueRepair.releaseInFlight(home.resolve("data"));
        if (released > 0) {
            System.out.printf("Released %d message(s) a crash had left in flight to a shared subscriber; "
                    + "they go to the group again%n", released);
        }
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("gridwatch-security").withName("GridWatch broker security").withVersion("1")
                        .withPriority(1000).withStartPriority(1000)
                        .withExtensionMain(security).build())
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.stop().join();
            } finally {
                stopped.countDown();
            }
        }, "hivemq-stop"));
        hivemq.start().join();
        if (!security.guarding()) {
            System.err.println("GridWatch's security extension did not start (see above); stopping rather than "
                    + "accept clients without credentials");
            System.exit(1);
        }
        stopped.await();
    }
}
