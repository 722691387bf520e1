package org.gridwatch.telemetry.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Reports which storage dialect is in use; ready once it has been chosen. */
@Readiness
@ApplicationScoped
public class StorageHealth implements HealthCheck {

    @Inject
    StorageSetup storage;

    @Override
    public HealthCheckResponse call() {
        StorageSetup.Mode mode = storage.mode();
        return HealthCheckResponse.named("telemetry-storage").status(mode != null)
                .withData("mode", mode == null ? "starting" : mode.name().toLowerCase()).build();
    }
}
