package org.gridwatch.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.gridwatch.testsupport.Endpoints;
import org.gridwatch.testsupport.Infrastructure;
import org.gridwatch.testsupport.LocalStackProcess;
import org.gridwatch.testsupport.RepoRoot;
import org.gridwatch.testsupport.Tokens;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The whole of GridWatch for system tests: real Kafka, MQTT and PostgreSQL from test-support, and
 * every service started from its built application. Started once per test JVM and shared by the
 * test classes, which keep out of each other's way by using different devices.
 */
final class GridWatchSystem {

    static final List<String> SERVICES = List.of("registry", "ingest-bridge", "detection", "alert-routing",
            "grid-dispatch", "telemetry");
    /** The screens, which read the services' APIs with the signed-in person's token. */
    static final String CONSOLE = "console";

    private static GridWatchSystem shared;

    private final Endpoints endpoints;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, String> environment = new HashMap<>();
    private Path logs;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> gatewaySecrets = new HashMap<>();

    private GridWatchSystem(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    static synchronized GridWatchSystem shared() {
        if (shared == null) {
            shared = new GridWatchSystem(Infrastructure.get());
            List<String> all = new java.util.ArrayList<>(SERVICES);
            all.add(CONSOLE);
            shared.startAll(all);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stopAll, "gridwatch-system-stop"));
        }
        return shared;
    }

    /** Only some services (the registry first among them, when it is one): for benchmarks of one service. */
    static GridWatchSystem start(List<String> names) {
        GridWatchSystem system = new GridWatchSystem(Infrastructure.get());
        system.startAll(names);
        Runtime.getRuntime().addShutdownHook(new Thread(system::stopAll, "gridwatch-system-stop"));
        return system;
    }

    private void startAll(List<String> names) {
        Path root = RepoRoot.get();
        Path work = root.resolve("services/system-tests/target/system");
        try {
            Files.createDirectories(work);
            // One folder per run; a service restarted within the run appends to its log.
            logs = Files.createTempDirectory(work, "logs-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> env = environment;
        env.put("KAFKA_BOOTSTRAP_SERVERS", endpoints.kafkaBootstrap());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", endpoints.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", endpoints.jdbcUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", endpoints.jdbcPassword());
        env.put("GRIDWATCH_INGEST_MQTT_URL", endpoints.mqttUrl());
        env.put("GRIDWATCH_INGEST_MQTT_PASSWORD", endpoints.mqttBridgePassword());
        env.put("GRIDWATCH_OIDC_ISSUER", endpoints.oidcIssuer());
        env.put("GRIDWATCH_INGEST_CLIENT_ID", "gridwatch-ingest-system-test");
        try {
            // Fresh for every run: local state left by an earlier run would not match this broker.
            env.put("KAFKA_STREAMS_STATE_DIR", Files.createTempDirectory(work, "detection-state-").toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        // Silence checked every 2 s rather than 10 s, so that tests can tell on time from late.
        env.put("GRIDWATCH_DETECTION_NO_DATA_CHECK_INTERVAL", "2S");
        // A notification whose sender died is taken over after 5 s rather than 30 s.
        env.put("GRIDWATCH_ALERTING_NOTIFY_TIMEOUT", "3S");
        env.put("GRIDWATCH_ALERTING_NOTIFY_LEASE", "5S");
        // The system tests share the demo community and raise more alerts in it than a storm allows;
        // storm control has its own tests in alert-routing.
        env.put("GRIDWATCH_ALERTING_STORM_MAX_ALERTS", "1000");
        for (String name : names) {
            services.put(name, new ServiceProcess(name, root, logs, LocalStackProcess.freePort(), env));
        }
        if (services.containsKey("telemetry")) {
            // Detection's back-test reads recorded readings from telemetry.
            env.put("GRIDWATCH_DETECTION_TELEMETRY_URL", services.get("telemetry").baseUrl());
        }
        if (services.containsKey(CONSOLE)) {
            for (String service : List.of("registry", "alert-routing", "grid-dispatch", "telemetry", "detection")) {
                if (services.containsKey(service)) {
                    env.put("GRIDWATCH_CONSOLE_" + service.toUpperCase().replace('-', '_') + "_URL",
                            services.get(service).baseUrl());
                }
            }
            // A key of this run for the console's session cookies: a restarted console keeps its people signed in.
            env.put("GRIDWATCH_CONSOLE_SESSION_SECRET", java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID());
        }
        // The registry first: every other service waits for its topic to be filled.
        ServiceProcess registry = services.get("registry");
        if (registry != null) {
            registry.start();
            registry.awaitReady(Duration.ofMinutes(3));
        }
        List<CompletableFuture<Void>> ready = services.values().stream().filter(s -> s != registry)
                .map(s -> CompletableFuture.runAsync(() -> {
                    s.start();
                    s.awaitReady(Duration.ofMinutes(3));
                })).toList();
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    }

    private void stopAll() {
        services.values().forEach(ServiceProcess::stop);
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /** The folder of detection's Kafka Streams state (its local copy of the changelogs). */
    Path detectionStateDir() {
        return Path.of(environment.get("KAFKA_STREAMS_STATE_DIR"));
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /**
     * Starts one more instance of a service beside the shared one (a replica), with the same
     * settings but for {@code overrides}; the caller stops it.
     */
    ServiceProcess startInstance(String name, String instance, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(overrides);
        ServiceProcess process = new ServiceProcess(name, RepoRoot.get(), logs, LocalStackProcess.freePort(), env,
                name + "-" + instance);
        process.start();
        process.awaitReady(Duration.ofMinutes(3));
        return process;
    }

    /**
     * The MQTT secret of a gateway, issued through the registry's API the first time a test asks
     * for it in this run and remembered (issuing again would rotate it under a connected gateway).
     */
    synchronized String gatewaySecret(String gatewayId) {
        String secret = gatewaySecrets.get(gatewayId);
        return secret != null ? secret : issueGatewaySecret(gatewayId);
    }

    /** Issues the gateway a new secret, which replaces any earlier one; tests of rotation call this. */
    synchronized String issueGatewaySecret(String gatewayId) {
        HttpResponse<String> issued = post("registry", "/api/v1/gateways/" + gatewayId + "/credentials", "");
        if (issued.statusCode() != 200 && issued.statusCode() != 201) {
            throw new AssertionError("Issuing credentials to " + gatewayId + " answered " + issued.statusCode() + ": "
                    + issued.body());
        }
        String secret = JsonParser.parseString(issued.body()).getAsJsonObject().get("secret").getAsString();
        gatewaySecrets.put(gatewayId, secret);
        return secret;
    }

    /** A gateway of the demo community connected to the broker with its credentials. */
    TestGateway gateway(String gatewayId) throws MqttException {
        return new TestGateway(endpoints.mqttUrl(), gatewayId, gatewaySecret(gatewayId));
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword());
    }

    /** PUT of a JSON body on a service's API; returns the response, whatever its status. */
    HttpResponse<String> put(String service, String path, String json) {
        return send("PUT", service, path, json);
    }

    /** POST of a JSON body on a service's API; returns the response, whatever its status. */
    HttpResponse<String> post(String service, String path, String json) {
        return send("POST", service, path, json);
    }

    /** DELETE on a service's API; returns the response, whatever its status. */
    HttpResponse<String> delete(String service, String path) {
        return send("DELETE", service, path, "");
    }

    /** GET on a service's API; returns the response, whatever its status. */
    HttpResponse<String> getResponse(String service, String path) {
        return send("GET", service, path, "");
    }

    /** POST as a signed-in person, with their bearer token ({@link Tokens}). */
    HttpResponse<String> postAs(String token, String service, String path, String json) {
        return send("POST", service, path, json, token);
    }

    /** PUT as a signed-in person, with their bearer token ({@link Tokens}). */
    HttpResponse<String> putAs(String token, String service, String path, String json) {
        return send("PUT", service, path, json, token);
    }

    /** Calls without a token of their own go as the demo's administrator, who may call everything. */
    private static String administrator() {
        return Tokens.person("admin");
    }

    private HttpResponse<String> send(String method, String service, String path, String json) {
        return send(method, service, path, json, administrator());
    }

    private HttpResponse<String> send(String method, String service, String path, String json, String token) {
        String url = services.get(service).baseUrl() + path;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
            if (token != null) {
                request.header("Authorization", Tokens.bearer(token));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** GET on a service's API; returns the parsed JSON body, failing on any status but 200. */
    JsonElement get(String service, String pathAndQuery) {
        String url = services.get(service).baseUrl() + pathAndQuery;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", Tokens.bearer(administrator())).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return JsonParser.parseString(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
