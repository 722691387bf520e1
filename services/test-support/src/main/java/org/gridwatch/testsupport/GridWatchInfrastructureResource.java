package org.gridwatch.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} service at the real Kafka, MQTT broker and PostgreSQL of
 * {@link Infrastructure}: {@code @QuarkusTestResource(GridWatchInfrastructureResource.class)}.
 */
public class GridWatchInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Endpoints endpoints = Infrastructure.get();
        Map<String, String> config = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", endpoints.kafkaBootstrap(),
                "quarkus.datasource.jdbc.url", endpoints.jdbcUrl(),
                "quarkus.datasource.username", endpoints.jdbcUser(),
                "quarkus.datasource.password", endpoints.jdbcPassword(),
                "gridwatch.ingest.mqtt-url", endpoints.mqttUrl(),
                "gridwatch.ingest.mqtt-password", endpoints.mqttBridgePassword()));
        if (endpoints.oidcIssuer() != null) {
            config.put("quarkus.oidc.auth-server-url", endpoints.oidcIssuer());
        }
        return config;
    }

    @Override
    public void stop() {
        // The infrastructure lives as long as the test JVM: Infrastructure stops it at exit.
    }
}
