package org.gridwatch.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Starts GridWatch's infrastructure on one machine without Docker: a Kafka broker in KRaft mode,
 * a HiveMQ CE MQTT 5 broker, a PostgreSQL server and a local OpenID Connect provider, each in its
 * own process, with all data under one folder. Stops them all on Ctrl-C (or, with {@code --exit-on-stdin-close}, when the process
 * that started it goes away).
 *
 * <p>When all are up it writes {@code endpoints.properties} into the data folder and prints
 * {@value #READY_LINE} on standard output, which scripts and tests wait for.
 */
public final class LocalStack implements AutoCloseable {

    public static final String READY_LINE = "GRIDWATCH LOCAL STACK READY";
    public static final String ENDPOINTS_FILE = "endpoints.properties";

    /** The ingest-bridge's MQTT secret, made at first start, readable by its owner only. */
    static final String BRIDGE_SECRET_FILE = "mqtt-ingest-bridge.secret";

    private final StackOptions options;
    private String bridgeSecret;
    private MqttTls tls;
    private ManagedProcess kafka;
    private ManagedProcess mqtt;
    private ManagedProcess oidc;
    private PostgresNode postgres;

    LocalStack(StackOptions options) {
        this.options = options;
    }

    /** Our own logback file name, because the HiveMQ jar ships a logback.xml of its own. */
    static final String LOGBACK_CONFIG = "local-stack-logback.xml";

    public static void main(String[] args) throws Exception {
        System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        StackOptions options;
        try {
            options = StackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.err.println(StackOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(options);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stop.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.start();
        } catch (StartupException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(1);
        }
        if (options.exitOnStdinClose()) {
            followStdin(stack);
        }
        stop.await();
    }

    void start() throws StartupException {
        Path dataDir = options.dataDir();
        try {
            Files.createDirectories(dataDir.resolve("logs"));
        } catch (IOException e) {
            throw new StartupException("cannot create data folder " + dataDir + ": " + e.getMessage());
        }
        requireFreePort("Kafka", options.kafkaPort(), "--kafka-port");
        requireFreePort("Kafka controller", options.kafkaControllerPort(), "--kafka-controller-port");
        if (options.mqttPlain()) {
            requireFreePort("MQTT", options.mqttPort(), "--mqtt-port");
        }
        requireFreePort("MQTT over TLS", options.mqttTlsPort(), "--mqtt-tls-port");
        requireFreePort("PostgreSQL", options.postgresPort(), "--postgres-port");
        requireFreePort("the OIDC provider", options.oidcPort(), "--oidc-port");

        log("data folder " + dataDir.toAbsolutePath());
        bridgeSecret = bridgeSecret(dataDir.resolve("secrets").resolve(BRIDGE_SECRET_FILE));
        tls = MqttTls.ensure(dataDir.resolve("mqtt").resolve("tls"));
        // Kafka and HiveMQ are JVMs of their own; start them first and PostgreSQL while they boot.
        kafka = KafkaNode.start(options, dataDir);
        mqtt = startMqtt();
        oidc = OidcNode.start(options, dataDir);
        postgres = PostgresNode.start(options.postgresPort(), dataDir.resolve("postgres"));
        log("PostgreSQL up on port " + options.postgresPort());
        awaitMqtt();
        awaitKafka();
        waitForPort("the OIDC provider", oidc, options.oidcPort(), Duration.ofSeconds(60));
        log("OIDC provider up on port " + options.oidcPort());

        writeEndpoints(dataDir.resolve(ENDPOINTS_FILE));
        System.out.println("  Kafka bootstrap : " + bootstrap());
        System.out.println("  MQTT broker     : " + (options.mqttPlain() ? mqttUrl() + " and " : "") + mqttTlsUrl()
                + " (CA " + tls.caCertificate() + "); credentials required (the ingest-bridge's: user "
                + MqttNode.BRIDGE_USER + ", secret in " + dataDir.resolve("secrets").resolve(BRIDGE_SECRET_FILE) + ")");
        System.out.println("  PostgreSQL      : " + jdbcUrl() + " (user " + PostgresNode.USER + ")");
        System.out.println("  OIDC issuer     : " + oidcIssuer() + " (the demo's people sign in by user name, no password)");
        System.out.println("  logs            : " + dataDir.resolve("logs").toAbsolutePath());
        System.out.println(READY_LINE);
        System.out.flush();
    }

    private ManagedProcess startMqtt() throws StartupException {
        return MqttNode.start(options, options.dataDir(), options.dataDir().resolve("secrets").resolve(BRIDGE_SECRET_FILE),
                tls);
    }

    private void awaitMqtt() throws StartupException {
        waitForPort("MQTT over TLS", mqtt, options.mqttTlsPort(), Duration.ofSeconds(90));
        if (options.mqttPlain()) {
            waitForPort("MQTT", mqtt, options.mqttPort(), Duration.ofSeconds(30));
            log("MQTT broker up on port " + options.mqttPort() + " and " + options.mqttTlsPort() + " (TLS)");
        } else {
            log("MQTT broker up on port " + options.mqttTlsPort() + " (TLS only)");
        }
    }

    private void awaitKafka() throws StartupException {
        waitForPort("Kafka", kafka, options.kafkaPort(), Duration.ofSeconds(120));
        KafkaNode.awaitReady(bootstrap(), Duration.ofSeconds(120));
        log("Kafka up on port " + options.kafkaPort());
    }

    /**
     * Kills a server outright or starts it again on the same data, ports and settings: what a
     * fault test does to see GridWatch ride out a crash ({@code kill kafka}, {@code start kafka};
     * also {@code mqtt} and {@code postgres}).
     */
    synchronized void control(String command) throws StartupException, IOException {
        Path dataDir = options.dataDir();
        switch (command) {
            case "kill kafka" -> kafka.kill();
            case "start kafka" -> {
                kafka = KafkaNode.start(options, dataDir);
                awaitKafka();
            }
            case "kill mqtt" -> mqtt.kill();
            case "start mqtt" -> {
                mqtt = startMqtt();
                awaitMqtt();
            }
            case "kill postgres" -> postgres.kill();
            case "start postgres" -> postgres = PostgresNode.start(options.postgresPort(), dataDir.resolve("postgres"));
            default -> throw new IllegalArgumentException("unknown command '" + command
                    + "': kill or start, then kafka, mqtt or postgres");
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + options.kafkaPort();
    }

    private String mqttUrl() {
        return "tcp://127.0.0.1:" + options.mqttPort();
    }

    /** By name, not address: the server certificate is for localhost (and this host's name). */
    private String mqttTlsUrl() {
        return "ssl://localhost:" + options.mqttTlsPort();
    }

    /** By name, as browsers and services alike reach it: the issuer in every token must be this very string. */
    private String oidcIssuer() {
        return "http://localhost:" + options.oidcPort() + "/" + OidcNode.ISSUER;
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + options.postgresPort() + "/" + PostgresNode.DATABASE;
    }

    private void writeEndpoints(Path file) throws StartupException {
        Properties endpoints = new Properties();
        endpoints.setProperty("kafka.bootstrap.servers", bootstrap());
        if (options.mqttPlain()) {
            endpoints.setProperty("mqtt.url", mqttUrl());
        }
        endpoints.setProperty("mqtt.tls.url", mqttTlsUrl());
        endpoints.setProperty("mqtt.tls.ca-file", tls.caCertificate().toString());
        endpoints.setProperty("mqtt.bridge.user", MqttNode.BRIDGE_USER);
        endpoints.setProperty("mqtt.bridge.password", bridgeSecret);
        endpoints.setProperty("jdbc.url", jdbcUrl());
        endpoints.setProperty("oidc.issuer", oidcIssuer());
        endpoints.setProperty("jdbc.user", PostgresNode.USER);
        endpoints.setProperty("jdbc.password", PostgresNode.PASSWORD);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            endpoints.store(out, "GridWatch local stack endpoints");
        } catch (IOException e) {
            throw new StartupException("cannot write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        // Brokers first: they might still be writing to the database.
        for (ManagedProcess process : new ManagedProcess[] {mqtt, kafka, oidc}) {
            if (process != null) {
                process.stop(Duration.ofSeconds(30));
            }
        }
        mqtt = null;
        kafka = null;
        oidc = null;
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        log("stopped");
    }

    /** The secret in {@code file}, made (32 random bytes, URL-safe base64) when the file does not exist yet. */
    private static String bridgeSecret(Path file) throws StartupException {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            return secret;
        } catch (IOException e) {
            throw new StartupException("cannot read or make the ingest-bridge's MQTT secret " + file + ": " + e.getMessage());
        }
    }

    private static void requireFreePort(String what, int port, String option) throws StartupException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new StartupException("port " + port + " for " + what + " is already in use. "
                    + "Stop what uses it, or choose another port with " + option + " (or the environment variable "
                    + StackOptions.envName(option) + ").");
        }
    }

    private static void waitForPort(String what, ManagedProcess process, int port, Duration timeout)
            throws StartupException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new StartupException(what + " exited during start-up with code " + process.exitCode()
                        + "; see " + process.logFile());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new StartupException(what + " did not open port " + port + " within " + timeout.toSeconds()
                + " s; see " + process.logFile());
    }

    /**
     * Reads commands from standard input ({@link #control}), answering each on standard output
     * with {@code done: <command>} or {@code failed: <command>: <why>}; stops everything when it
     * closes, that is when the process that started the stack has gone away.
     */
    private static void followStdin(LocalStack stack) {
        Thread watcher = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.strip();
                    if (command.isEmpty()) {
                        continue;
                    }
                    try {
                        stack.control(command);
                        log("done: " + command);
                    } catch (Exception e) {
                        log("failed: " + command + ": " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                // Treat a broken stdin as a closed one.
            }
            log("parent went away, stopping");
            System.exit(0);
        }, "stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void log(String message) {
        PrintStream out = System.out;
        out.println("[local-stack] " + message);
        out.flush();
    }

    /** A start-up failure with a message meant for the person who ran the launcher. */
    static final class StartupException extends Exception {
        StartupException(String message) {
            super(message);
        }
    }
}
