package org.gridwatch.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The no-Docker path: runs the launcher of {@code deploy/local-stack} as a child process on free
 * ports with a fresh data folder, and stops it when the test JVM exits (its standard input is the
 * lifeline: if this JVM is killed, the stack stops by itself). The data folder (a few hundred MB
 * of Kafka logs and database files) goes with it, so repeated test runs do not fill the disk.
 */
public final class LocalStackProcess implements StackControl {

    private static final String READY_LINE = "GRIDWATCH LOCAL STACK READY";
    private static final String ANSWER = "[local-stack] ";

    private final Process process;
    /** Commands sent and not yet answered, by command. */
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

    private LocalStackProcess(Process process) {
        this.process = process;
    }

    /** The stack this test JVM started, if it started one. */
    private static volatile LocalStackProcess started;

    static Optional<StackControl> control() {
        return Optional.ofNullable(started);
    }

    @Override
    public synchronized void send(String command, Duration timeout) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(command, answer);
        try {
            process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            String outcome = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!outcome.startsWith("done")) {
                throw new IllegalStateException("The local stack could not " + command + ": " + outcome);
            }
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The local stack did not " + command + " within " + timeout.toSeconds()
                    + " s: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pending.remove(command);
        }
    }

    /** Completes the command a line of the stack's output answers, if it answers one. */
    private void answered(String line) {
        if (!line.startsWith(ANSWER)) {
            return;
        }
        String text = line.substring(ANSWER.length());
        pending.forEach((command, answer) -> {
            if (text.equals("done: " + command) || text.startsWith("failed: " + command + ":")) {
                answer.complete(text);
            }
        });
    }

    static Endpoints start() {
        Path root = RepoRoot.get();
        Path jar = root.resolve("deploy/local-stack/target/local-stack.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("The local stack is not built: " + jar
                    + " is missing. Build it with 'mvn -pl deploy/local-stack package' (make build does).");
        }
        Path dataDir;
        try {
            Path base = root.resolve("target");
            Files.createDirectories(base);
            dataDir = Files.createTempDirectory(base, "test-stack-");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a data folder for the local stack", e);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(),
                "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(freePort()),
                "--kafka-controller-port", String.valueOf(freePort()),
                "--mqtt-port", String.valueOf(freePort()),
                "--mqtt-tls-port", String.valueOf(freePort()),
                "--postgres-port", String.valueOf(freePort()),
                "--oidc-port", String.valueOf(freePort()),
                "--exit-on-stdin-close"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the local stack: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(process);
            delete(dataDir);
        }, "local-stack-stop"));

        StringBuilder output = new StringBuilder();
        LocalStackProcess stack = new LocalStackProcess(process);
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> stack.readUntilReady(output));
        try {
            if (!ready.get(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The local stack exited before it was ready:\n" + output);
            }
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("The local stack did not start:\n" + output, e);
        }
        started = stack;
        Properties endpoints = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve("endpoints.properties"))) {
            endpoints.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("The local stack wrote no endpoints file", e);
        }
        return new Endpoints(endpoints.getProperty("kafka.bootstrap.servers"), endpoints.getProperty("mqtt.url"),
                endpoints.getProperty("mqtt.bridge.password"),
                new Endpoints.MqttTls(endpoints.getProperty("mqtt.tls.url"), Path.of(endpoints.getProperty("mqtt.tls.ca-file"))),
                endpoints.getProperty("jdbc.url"), endpoints.getProperty("jdbc.user"),
                endpoints.getProperty("jdbc.password"), endpoints.getProperty("oidc.issuer"),
                "local stack launcher, data in " + dataDir);
    }

    private boolean readUntilReady(StringBuilder output) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (line.equals(READY_LINE)) {
                    // Keep draining so the launcher never blocks on a full pipe, and read the answers to commands.
                    Thread drain = new Thread(() -> {
                        try {
                            String more;
                            while ((more = reader.readLine()) != null) {
                                answered(more);
                            }
                        } catch (IOException ignored) {
                            // The launcher has ended.
                        }
                    }, "local-stack-output");
                    drain.setDaemon(true);
                    drain.start();
                    return true;
                }
            }
        } catch (IOException e) {
            output.append(e);
        }
        return false;
    }

    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Left behind: it is under target/, which a clean removes.
        }
    }

    /** A port that was free a moment ago; the launcher fails clearly if it is taken in between. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }
}
