package org.gridwatch.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.logging.Logger;

import org.testcontainers.DockerClientFactory;

/**
 * The one way tests obtain Kafka, MQTT and PostgreSQL, in this order:
 * <ol>
 *   <li>environment variables {@code GRIDWATCH_KAFKA_BOOTSTRAP}, {@code GRIDWATCH_MQTT_URL},
 *       {@code GRIDWATCH_JDBC_URL} (with {@code GRIDWATCH_JDBC_USER}, {@code GRIDWATCH_JDBC_PASSWORD} and the
 *       ingest-bridge's MQTT secret {@code GRIDWATCH_MQTT_BRIDGE_PASSWORD}, the OIDC issuer
 *       {@code GRIDWATCH_OIDC_ISSUER}, the TLS listener
 *       {@code GRIDWATCH_MQTT_TLS_URL} and its CA {@code GRIDWATCH_MQTT_CA_FILE});</li>
 *   <li>Testcontainers, where a Docker engine runs (TimescaleDB, Apache Kafka and HiveMQ CE images);</li>
 *   <li>the local stack launcher of {@code deploy/local-stack}, as separate processes.</li>
 * </ol>
 * The infrastructure is started once per test JVM and stopped when the JVM exits.
 */
public final class Infrastructure {

    private static final Logger LOG = Logger.getLogger(Infrastructure.class.getName());
    private static Endpoints endpoints;

    private Infrastructure() {
    }

    public static synchronized Endpoints get() {
        if (endpoints == null) {
            endpoints = obtain();
            LOG.info("GridWatch test infrastructure: " + endpoints);
        }
        return endpoints;
    }

    /**
     * Kills and restarts of the servers, for fault tests; empty unless the infrastructure is the
     * local stack this JVM started (environment variables and Testcontainers offer none here).
     */
    public static Optional<StackControl> control() {
        get();
        return LocalStackProcess.control();
    }

    /**
     * The JDBC URL of a database of the caller's own on the same server (created when missing), for
     * benchmarks that fill a database without touching the services' one.
     */
    public static String database(String name) throws SQLException {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("A database name is a lower-case identifier; got '" + name + "'");
        }
        Endpoints endpoints = get();
        try (Connection connection = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(),
                endpoints.jdbcPassword());
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet row = exists.executeQuery()) {
                if (!row.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE " + name);
                    }
                }
            }
        }
        return endpoints.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    private static Endpoints obtain() {
        String kafka = System.getenv("GRIDWATCH_KAFKA_BOOTSTRAP");
        String mqtt = System.getenv("GRIDWATCH_MQTT_URL");
        String jdbc = System.getenv("GRIDWATCH_JDBC_URL");
        if (kafka != null && mqtt != null && jdbc != null) {
            String tlsUrl = System.getenv("GRIDWATCH_MQTT_TLS_URL");
            String caFile = System.getenv("GRIDWATCH_MQTT_CA_FILE");
            Endpoints.MqttTls tls = tlsUrl == null || caFile == null ? null : new Endpoints.MqttTls(tlsUrl, Path.of(caFile));
            return new Endpoints(kafka, mqtt, envOr("GRIDWATCH_MQTT_BRIDGE_PASSWORD", ""), tls, jdbc, envOr("GRIDWATCH_JDBC_USER", "postgres"),
                    envOr("GRIDWATCH_JDBC_PASSWORD", "postgres"), System.getenv("GRIDWATCH_OIDC_ISSUER"),
                    "environment variables");
        }
        if (!"false".equals(System.getenv("GRIDWATCH_TESTCONTAINERS")) && dockerAvailable()) {
            return ContainerStack.start();
        }
        return LocalStackProcess.start();
    }

    private static boolean dockerAvailable() {
        // Without a socket or DOCKER_HOST there is no engine to find: skip Testcontainers' noisy search.
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
