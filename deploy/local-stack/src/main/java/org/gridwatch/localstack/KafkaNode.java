package org.gridwatch.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A single-node Kafka broker in KRaft combined mode (broker and controller), from the kafka_2.13 jars. */
final class KafkaNode {

    /** Fixed so that a restarted stack reuses its formatted storage. */
    private static final String CLUSTER_ID = "R3JpZFdhdGNoTG9jYWwx";

    private KafkaNode() {
    }

    static ManagedProcess start(StackOptions options, Path dataDir) throws LocalStack.StartupException {
        Path home = dataDir.resolve("kafka");
        Path logDirs = home.resolve("data");
        Path config = home.resolve("server.properties");
        Path logFile = dataDir.resolve("logs").resolve("kafka.log");
        try {
            Files.createDirectories(logDirs);
            Files.writeString(config, serverProperties(options, logDirs), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalStack.StartupException("cannot prepare Kafka folder " + home + ": " + e.getMessage());
        }
        // A fixed heap, as Kafka's operations guide advises: grown from a small start, the heap stayed
        // near its live set, and the broker paused for a young collection or a marking cycle every
        // few seconds, holding up every record passing through it.
        List<String> jvm = List.of("-Xms768m", "-Xmx768m", "-XX:+UseG1GC",
                "-Dkafka.logs.dir=" + home.resolve("logs"));
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            int code = ManagedProcess.runToCompletion("kafka-storage-format", logFile, jvm, "kafka.tools.StorageTool",
                    List.of("format", "-t", CLUSTER_ID, "-c", config.toString(), "--standalone"),
                    Duration.ofSeconds(120));
            if (code != 0) {
                throw new LocalStack.StartupException("formatting Kafka storage failed with code " + code
                        + "; see " + logFile);
            }
        }
        return ManagedProcess.startJava("kafka", logFile, jvm, "kafka.Kafka", List.of(config.toString()));
    }

    private static String serverProperties(StackOptions options, Path logDirs) {
        String broker = "127.0.0.1:" + options.kafkaPort();
        String controller = "127.0.0.1:" + options.kafkaControllerPort();
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=%s
                listeners=PLAINTEXT://%s,CONTROLLER://%s
                advertised.listeners=PLAINTEXT://%s
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                num.partitions=1
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=6
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=6
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=true
                log.retention.hours=168
                log.segment.bytes=134217728
                """.formatted(controller, broker, controller, broker, logDirs.toAbsolutePath());
    }

    /** The port opens before the broker has joined its own quorum; wait until it answers metadata. */
    static void awaitReady(String bootstrap, Duration timeout) throws LocalStack.StartupException {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (Instant.now().isBefore(deadline)) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                    LocalStack.sleep(500);
                }
            }
        }
        throw new LocalStack.StartupException("Kafka did not become ready within " + timeout.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }
}
