package org.gridwatch.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.hivemq.embedded.EmbeddedHiveMQ;

/** HiveMQ CE, embedded in a JVM of its own. {@link #main} runs in that child process. */
public final class MqttNode {

    private MqttNode() {
    }

    static ManagedProcess start(StackOptions options, Path dataDir) throws LocalStack.StartupException {
        Path home = dataDir.resolve("mqtt");
        try {
            Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            Files.writeString(home.resolve("conf").resolve("config.xml"), config(options.mqttPort()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalStack.StartupException("cannot prepare MQTT folder " + home + ": " + e.getMessage());
        }
        return ManagedProcess.startJava("mqtt", dataDir.resolve("logs").resolve("mqtt.log"),
                List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC"), MqttNode.class.getName(), List.of(home.toString()));
    }

    /**
     * Queues are large so that a stopped ingest-bridge loses nothing while it is away; receive
     * maximum is raised so that QoS 1 publishers are not throttled to 10 messages in flight.
     */
    private static String config(int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>5000000</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>1000</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
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
        stopped.await();
    }
}
