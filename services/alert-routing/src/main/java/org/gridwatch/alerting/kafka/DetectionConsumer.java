package org.gridwatch.alerting.kafka;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.gridwatch.alerting.store.AlertStore;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.outbox.SqlRetry;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;

/** Consumes detections in order per subject and applies each to the alerts. */
@ApplicationScoped
public class DetectionConsumer {

    private static final Logger LOG = Logger.getLogger(DetectionConsumer.class);

    @Inject
    AlertStore alerts;

    @Inject
    RegistryViewBean registry;

    @Inject
    MeterRegistry metrics;

    @Incoming("detections")
    @Blocking
    public void onDetection(Detection detection) throws InterruptedException {
        if (detection == null) {
            // Goes to the dead-letter topic (failure-strategy) with this reason.
            throw new IllegalArgumentException("Undecodable detection record");
        }
        // Without the registry an alert would have no place, so wait for it once at start-up.
        if (!registry.awaitCaughtUp(Duration.ofMinutes(2))) {
            throw new IllegalStateException("Registry not available: cannot place detection " + detection.getDetectionId());
        }
        Location location = locate(registry.state(), detection);
        String gatewayId = registry.state().device(detection.getDeviceId()).map(d -> d.getGatewayId()).orElse("");
        SqlRetry.run("applying detection " + detection.getDetectionId(),
                () -> alerts.apply(detection, location, gatewayId))
                .ifPresent(event -> {
                    metrics.counter("gridwatch.alerts.events", "type", event.getType().name()).increment();
                    LOG.infof("%s alert %s (%s, %s) from %s", event.getType(), event.getAlertId(), event.getKind(),
                            event.getSeverity(), detection.getDetectionId());
                });
    }

    static Location locate(RegistryState registry, Detection detection) {
        String area = detection.getAreaId();
        if (area.isEmpty()) {
            area = registry.device(detection.getDeviceId()).map(d -> d.getAreaId()).orElse("");
        }
        return registry.locate(area);
    }
}
