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
            Files.writeString(home.resolve("conf").resolve("config.xml"), HiveMqConfig.xml(options.mqttPort(), "127.0.0.1"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalStack.StartupException("cannot prepare MQTT folder " + home + ": " + e.getMessage());
        }
        return ManagedProcess.startJava("mqtt", dataDir.resolve("logs").resolve("mqtt.log"),
                List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC"), MqttNode.class.getName(), List.of(home.toString()));
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int released = SharedQueueRepair.releaseInFlight(home.resolve("data"));
        if (released > 0) {
            System.out.printf("Released %d message(s) a crash had left in flight to a shared subscriber; "
                    + "they go to the group again%n", released);
        }
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
