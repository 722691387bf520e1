package org.gridwatch.ingest.mqtt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the MQTT session is up: without it the bridge receives nothing. */
@Readiness
@ApplicationScoped
public class MqttHealth implements HealthCheck {

    @Inject
    MqttIngest ingest;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mqtt-session").status(ingest.isConnected()).build();
    }
}
