package org.gridwatch.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One GridWatch service, run from its built Quarkus application as a process of its own. */
final class ServiceProcess {

    /** System property with the services' JVM options, space-separated. */
    static final String JVM_OPTIONS = "gridwatch.service.jvm-options";
    private static final String TEST_JVM_OPTIONS = "-Xms64m -Xmx320m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path application;
    private final Path logFile;
    private final Map<String, String> environment;
    private final int port;
    private Process process;

    ServiceProcess(String name, Path repoRoot, Path logDir, int port, Map<String, String> environment) {
        this(name, repoRoot, logDir, port, environment, name);
    }

    /** An instance of service {@code name} logging to {@code logName}.log. */
    ServiceProcess(String name, Path repoRoot, Path logDir, int port, Map<String, String> environment, String logName) {
        this.name = name;
        this.application = repoRoot.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        this.logFile = logDir.resolve(logName + ".log");
        this.port = port;
        this.environment = environment;
        if (!Files.exists(application)) {
            throw new IllegalStateException(name + " is not built: " + application
                    + " is missing. Run 'make build' (or mvn package) first.");
        }
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Tests favour a quick start and a small footprint; a benchmark sets production options.
        command.addAll(List.of(System.getProperty(JVM_OPTIONS, TEST_JVM_OPTIONS).split(" ")));
        command.addAll(List.of("-jar", application.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the service answers ready on /q/health/ready. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " during start-up; "
                        + "see " + logFile);
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s: " + last
                + "; see " + logFile);
    }

    boolean isReady() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the service as an operator would (SIGTERM: it shuts down cleanly). */
    synchronized void stop() {
        end(false);
    }

    /** Kills the service outright (SIGKILL): nothing gets to finish. */
    synchronized void kill() {
        end(true);
    }

    private void end(boolean forcibly) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
