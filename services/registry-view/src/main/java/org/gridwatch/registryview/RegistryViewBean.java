package org.gridwatch.registryview;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * The registry view of a Quarkus service, started with the application. The service is ready
 * ({@link RegistryViewHealth}) once the view has read the registry topic up to where it stood at start-up.
 */
@ApplicationScoped
public class RegistryViewBean {

    private final RegistryView view;

    public RegistryViewBean(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.view = new RegistryView(bootstrapServers);
    }

    void onStart(@Observes StartupEvent event) {
        view.start();
    }

    public RegistryState state() {
        return view.state();
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        view.start();
        return view.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return view.isCaughtUp();
    }

    @PreDestroy
    void stop() {
        view.close();
    }
}
