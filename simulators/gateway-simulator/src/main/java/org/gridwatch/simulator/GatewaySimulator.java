package org.gridwatch.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.TrustedCa;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.ReadingBatch;
import org.gridwatch.contract.v1.RegistrySnapshot;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Publishes, in real time, the readings of every gateway the registry knows, one MQTT 5 client
 * per gateway (with its status as Last Will), and injects incidents through a small HTTP control
 * port:
 * <pre>
 *   curl -X POST 'localhost:8090/incidents?name=high-heart-rate&amp;device=mat-b1-101'
 *   curl -X DELETE 'localhost:8090/incidents?device=mat-b1-101'
 *   curl localhost:8090/incidents
 * </pre>
 */
public final class GatewaySimulator {

    /** QoS 1 messages a gateway has on their way at once. */
    private static final int UPLINK_WINDOW = 20;
    /** Messages a gateway keeps while the broker is away: at the default interval, more than an hour of readings. */
    private static final int UPLINK_BUFFER = 1_000;

    private final Options options;
    private final HttpClient http = HttpClient.newHttpClient();
    /** The simulator's own bearer token for the registry (client credentials: the machine role). */
    private String token;
    private final Map<String, Incident> incidents = new ConcurrentHashMap<>();
    private final Map<String, MqttAsyncClient> clients = new LinkedHashMap<>();
    private final Map<String, Uplink> uplinks = new LinkedHashMap<>();
    private final Map<String, List<Device>> devicesByGateway = new LinkedHashMap<>();
    private final Map<String, Device> devices = new HashMap<>();
    private final ReadingGenerator generator = new ReadingGenerator(42);
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private HttpServer control;

    /**
     * @param secretsFile where the gateways' secrets are kept, as a gateway keeps its own in flash,
     *                    so that a person can publish as one of them by hand; null keeps them in memory only
     * @param caFile      for an {@code ssl://} broker, the CA certificate (PEM) to trust; null for the JVM's own
     */
    record Options(String mqttUrl, String registryUrl, Duration interval, int controlPort, boolean protobuf,
                   Path secretsFile, Path caFile, String oidcIssuer, String clientId, String clientSecret) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected an option, got " + args[i]);
                }
                values.put(args[i].substring(2), args[i + 1]);
            }
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
            }
            return new Options(values.getOrDefault("mqtt", env("GRIDWATCH_MQTT_URL", "tcp://localhost:1883")),
                    values.getOrDefault("registry", env("GRIDWATCH_REGISTRY_URL", "http://localhost:8081")),
                    Duration.ofMillis(Long.parseLong(values.getOrDefault("interval-ms", "5000"))),
                    Integer.parseInt(values.getOrDefault("control-port", "8090")),
                    values.getOrDefault("encoding", "json").equals("protobuf"),
                    values.containsKey("secrets-file") ? Path.of(values.get("secrets-file")) : null,
                    values.containsKey("ca-file") ? Path.of(values.get("ca-file")) : null,
                    values.getOrDefault("oidc-issuer", env("GRIDWATCH_OIDC_ISSUER", "http://localhost:8180/gridwatch")),
                    values.getOrDefault("client-id", "gridwatch-simulator"),
                    env("GRIDWATCH_SIMULATOR_CLIENT_SECRET", "-"));
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    GatewaySimulator(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gateway-simulator: " + e.getMessage());
            System.err.println("usage: java -jar gateway-simulator.jar [--mqtt tcp://localhost:1883] "
                    + "[--registry http://localhost:8081] [--interval-ms 5000] [--control-port 8090] [--encoding json|protobuf] "
                    + "[--secrets-file FILE] [--ca-file ca.pem] [--oidc-issuer URL] [--client-id ID]\n"
                    + "(the registry is called with a client-credentials token of the issuer; the secret in "
                    + "GRIDWATCH_SIMULATOR_CLIENT_SECRET)");
            System.exit(2);
            return;
        }
        GatewaySimulator simulator = new GatewaySimulator(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.stop();
            stopped.countDown();
        }));
        simulator.start();
        stopped.await();
    }

    void start() throws Exception {
        token = serviceToken();
        loadDevices();
        Properties secrets = new Properties();
        for (String gatewayId : devicesByGateway.keySet()) {
            String secret = issueSecret(gatewayId);
            secrets.setProperty(gatewayId, secret);
            clients.put(gatewayId, connect(gatewayId, secret));
        }
        if (options.secretsFile() != null) {
            keep(secrets, options.secretsFile());
        }
        startControl();
        long period = options.interval().toMillis();
        ticker.scheduleAtFixedRate(this::publishAll, 0, period, TimeUnit.MILLISECONDS);
        log("publishing " + devices.size() + " devices of " + clients.size() + " gateways every " + period
                + " ms to " + options.mqttUrl() + "; control on http://localhost:" + options.controlPort() + "/incidents");
    }

    private void loadDevices() throws IOException, InterruptedException, PayloadException {
        HttpResponse<String> response = null;
        Instant deadline = Instant.now().plusSeconds(120);
        while (response == null) {
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(options.registryUrl() + "/api/v1/devices"))
                                .header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("The registry at " + options.registryUrl() + " does not answer", e);
                }
                Thread.sleep(1_000);
            }
        }
        if (response.statusCode() != 200) {
            throw new IOException("The registry answered " + response.statusCode() + ": " + response.body());
        }
        RegistrySnapshot snapshot = ProtoJson.mergeJson("{\"devices\":" + response.body() + "}",
                RegistrySnapshot.newBuilder()).build();
        for (Device device : snapshot.getDevicesList()) {
            devices.put(device.getId(), device);
            devicesByGateway.computeIfAbsent(device.getGatewayId(), g -> new ArrayList<>()).add(device);
        }
    }

    /** A client-credentials token of the OIDC issuer, asked for until the provider answers (it may still be starting). */
    private String serviceToken() throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(options.clientId(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(options.clientSecret(), StandardCharsets.UTF_8);
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(options.oidcIssuer() + "/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("The OIDC provider at " + options.oidcIssuer() + " gave no token: "
                            + response.statusCode() + " " + response.body());
                }
                return JsonParser.parseString(response.body()).getAsJsonObject().get("access_token").getAsString();
            } catch (ConnectException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("The OIDC provider at " + options.oidcIssuer() + " does not answer", e);
                }
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * Provisions a gateway as an installer does: asks the registry for its MQTT secret (a new one
     * each start, which replaces the last). The secret stays in this process's memory only.
     */
    private String issueSecret(String gatewayId) throws IOException, InterruptedException {
        URI uri = URI.create(options.registryUrl() + "/api/v1/gateways/" + gatewayId + "/credentials");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("The registry did not issue credentials to " + gatewayId + ": " + response.statusCode()
                    + " " + response.body());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject().get("secret").getAsString();
    }

    /** Writes the secrets to a file only its owner may read. */
    private static void keep(Properties secrets, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            secrets.store(out, "MQTT secrets of the simulated gateways (client id and user name = gateway id)");
        }
    }

    /**
     * Connects a gateway with its credentials (client id and user name its id): it reconnects by itself, says it is online each time (its Last Will says
     * it is offline when it goes away), and keeps what the broker has not acknowledged to send
     * again ({@link Uplink}).
     */
    private MqttAsyncClient connect(String gatewayId, String secret) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(options.mqttUrl(), gatewayId, new MemoryPersistence());
        MqttConnectionOptions connection = new MqttConnectionOptions();
        connection.setUserName(gatewayId);
        connection.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        if (options.caFile() != null) {
            connection.setSocketFactory(TrustedCa.socketFactory(options.caFile()));
            connection.setHttpsHostnameVerificationEnabled(true);
        }
        connection.setCleanStart(true);
        connection.setAutomaticReconnect(true);
        connection.setAutomaticReconnectDelay(1, 10);
        connection.setKeepAliveInterval(30);
        GatewayStatus offline = GatewayStatus.newBuilder().setGatewayId(gatewayId).setState(GatewayStatus.State.OFFLINE)
                .build();
        MqttMessage will = new MqttMessage(ProtoJson.toJson(offline).getBytes(StandardCharsets.UTF_8), 1, true, null);
        connection.setWill("gridwatch/v1/" + gatewayId + "/status", will);
        Uplink uplink = new Uplink(client, UPLINK_WINDOW, UPLINK_BUFFER);
        uplinks.put(gatewayId, uplink);
        uplink.onReconnect(() -> online(gatewayId, uplink));
        client.connect(connection).waitForCompletion(30_000);
        online(gatewayId, uplink);
        return client;
    }

    private static void online(String gatewayId, Uplink uplink) {
        GatewayStatus online = GatewayStatus.newBuilder().setGatewayId(gatewayId).setState(GatewayStatus.State.ONLINE)
                .setObservedAt(Timestamps.of(Instant.now())).build();
        uplink.publish("gridwatch/v1/" + gatewayId + "/status", new MqttMessage(json(online), 1, true, null));
    }

    private void publishAll() {
        Instant now = Instant.now();
        for (Map.Entry<String, List<Device>> gateway : devicesByGateway.entrySet()) {
            ReadingBatch.Builder batch = ReadingBatch.newBuilder();
            for (Device device : gateway.getValue()) {
                Incident incident = incidents.get(device.getId());
                if (incident != Incident.DEVICE_SILENT) {
                    batch.addReadings(generator.next(device, now, incident));
                }
            }
            if (batch.getReadingsCount() == 0) {
                continue;
            }
            uplinks.get(gateway.getKey()).publish("gridwatch/v1/" + gateway.getKey() + "/telemetry", encode(batch));
        }
    }

    private MqttMessage encode(ReadingBatch.Builder batch) {
        MqttProperties properties = new MqttProperties();
        byte[] payload;
        if (options.protobuf()) {
            payload = batch.build().toByteArray();
            properties.setContentType(ProtoJson.CONTENT_TYPE_PROTOBUF);
        } else {
            payload = ProtoJson.toJson(batch.build()).getBytes(StandardCharsets.UTF_8);
            properties.setContentType(ProtoJson.CONTENT_TYPE_JSON);
        }
        return new MqttMessage(payload, 1, false, properties);
    }

    private static byte[] json(com.google.protobuf.Message message) {
        return ProtoJson.toJson(message).getBytes(StandardCharsets.UTF_8);
    }

    private void startControl() throws IOException {
        control = HttpServer.create(new InetSocketAddress("127.0.0.1", options.controlPort()), 0);
        control.createContext("/incidents", this::handleIncidents);
        control.start();
    }

    private void handleIncidents(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String device = query.get("device");
        switch (exchange.getRequestMethod()) {
            case "GET" -> respond(exchange, 200, incidents.toString());
            case "POST" -> {
                Incident incident = Incident.byName(query.getOrDefault("name", "")).orElse(null);
                if (incident == null) {
                    respond(exchange, 400, "name must be one of high-heart-rate, device-silent");
                } else if (device == null || !devices.containsKey(device)) {
                    respond(exchange, 400, "device must be one of the registry's devices, got " + device);
                } else if (incident.sensorType() != null
                        && !incident.sensorType().equals(devices.get(device).getSensorType())) {
                    respond(exchange, 400, incident.displayName() + " needs a " + incident.sensorType() + " device");
                } else {
                    incidents.put(device, incident);
                    log("incident " + incident.displayName() + " started on " + device);
                    respond(exchange, 200, "incident " + incident.displayName() + " started on " + device);
                }
            }
            case "DELETE" -> {
                Incident ended = device == null ? null : incidents.remove(device);
                respond(exchange, 200, ended == null ? "no incident on " + device : "incident ended on " + device);
            }
            default -> respond(exchange, 405, "use GET, POST or DELETE");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    void stop() {
        ticker.shutdownNow();
        if (control != null) {
            control.stop(0);
        }
        for (MqttAsyncClient client : clients.values()) {
            try {
                client.disconnect().waitForCompletion(2_000);
                client.close();
            } catch (MqttException e) {
                // Stopping anyway.
            }
        }
    }

    private static void log(String message) {
        System.out.println("[gateway-simulator] " + message);
    }
}
