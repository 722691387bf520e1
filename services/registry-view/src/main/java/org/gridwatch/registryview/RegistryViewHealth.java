package org.gridwatch.registryview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the registry view has caught up: before that, every device would look unknown. */
@Readiness
@ApplicationScoped
public class RegistryViewHealth implements HealthCheck {

    @Inject
    RegistryViewBean view;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("registry-view").status(view.isCaughtUp())
                .withData("devices", view.state().devices().size()).build();
    }
}
