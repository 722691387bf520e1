package org.gridwatch.alerting.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.contract.DeadLetter;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.plumbing.kafka.DeadLetters;
import org.gridwatch.plumbing.retry.NotReadyException;
import org.gridwatch.plumbing.retry.Progress;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes detections a Kafka batch at a time, in order per subject, and applies each batch in
 * one transaction. A failure that passes (the database away, a lost race, the registry not read
 * yet) holds the batch and is retried until it goes through, the service not ready meanwhile. A
 * record that cannot be decoded, or a detection the store refuses for good, goes to the
 * dead-letter topic with the reason; the others are applied all the same.
 */
@ApplicationScoped
public class DetectionConsumer {

    static final String CONSUMER = "detections consumer";
    private static final Logger LOG = Logger.getLogger(DetectionConsumer.class);

    @Inject
    DetectionApplier applier;

    @Inject
    RegistryViewBean registry;

    @Inject
    MeterRegistry metrics;

    @Inject
    Progress progress;

    @Inject
    DeadLetters deadLetters;
    private Timer batchTime;
    private Timer batchWait;
    private DistributionSummary batchSize;

    @PostConstruct
    void meters() {
        // How long a batch holds the journal lock, and how big batches get: the service's share of the latency.
        batchTime = Timer.builder("gridwatch.alerts.batch.time").description("Time to apply a batch of detections")
                .publishPercentiles(0.5, 0.99).register(metrics);
        // How long the oldest detection of a batch waited in Kafka and in the consumer before its batch began.
        batchWait = Timer.builder("gridwatch.alerts.batch.wait").description("Age of a batch's oldest detection when it is applied")
                .publishPercentiles(0.5, 0.99).register(metrics);
        batchSize = DistributionSummary.builder("gridwatch.alerts.batch.size")
                .description("Detections per applied batch").publishPercentiles(0.5, 0.99).register(metrics);
    }

    @Incoming("detections")
    @Blocking
    public void onDetections(ConsumerRecords<String, Detection> records) {
        // Without the registry an alert would have no place: wait for it (once, at start-up).
        progress.untilDone(CONSUMER, "reading the registry", this::awaitRegistry);
        RegistryState state = registry.state();
        List<DetectionApplier.Placed> batch = new ArrayList<>(records.count());
        List<ConsumerRecord<String, Detection>> sources = new ArrayList<>(records.count());
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, Detection> record : records) {
            if (record.value() == null) {
                deadLetters.send(record.key(), DeadLetters.undecodable(record));
            } else {
                batch.add(place(state, record.value()));
                sources.add(record);
                oldest = Math.min(oldest, record.timestamp());
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        batchWait.record(Math.max(0, System.currentTimeMillis() - oldest), TimeUnit.MILLISECONDS);
        try {
            long started = System.nanoTime();
            List<Optional<AlertEvent>> events = progress.untilDone(CONSUMER, "applying " + batch.size() + " detections",
                    () -> applier.applyAll(batch));
            batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            batchSize.record(batch.size());
            report(batch, events);
        } catch (RuntimeException e) {
            // One of them is refused for good: apply them one at a time, so that only it is set aside.
            LOG.warnf("A batch of %d detections failed (%s): applying them one at a time", batch.size(), e.toString());
            for (int i = 0; i < batch.size(); i++) {
                DetectionApplier.Placed placed = batch.get(i);
                try {
                    report(List.of(placed), progress.untilDone(CONSUMER, "applying detection "
                            + placed.detection().getDetectionId(), () -> applier.applyAll(List.of(placed))));
                } catch (RuntimeException refused) {
                    ConsumerRecord<String, Detection> source = sources.get(i);
                    deadLetters.send(placed.detection().getSubjectId(), new DeadLetter(RejectReason.REFUSED,
                            refused.toString(), DeadLetter.source(source.topic(), source.partition(), source.offset()),
                            placed.detection().toByteArray()));
                }
            }
        }
    }

    private Void awaitRegistry() throws InterruptedException {
        if (!registry.awaitCaughtUp(Duration.ofSeconds(5))) {
            throw new NotReadyException("the registry topic has not been read since start-up");
        }
        return null;
    }

    private void report(List<DetectionApplier.Placed> batch, List<Optional<AlertEvent>> events) {
        for (int i = 0; i < batch.size(); i++) {
            Detection detection = batch.get(i).detection();
            events.get(i).ifPresent(event -> {
                metrics.counter("gridwatch.alerts.events", "type", event.getType().name()).increment();
                // Repeats are counted, not logged: at a thousand a second they would drown the log.
                boolean quiet = event.getType() == AlertEvent.Type.TYPE_REPEATED;
                LOG.logf(quiet ? Logger.Level.DEBUG : Logger.Level.INFO, "%s alert %s (%s, %s) from %s",
                        event.getType(), event.getAlertId(), event.getKind(), event.getSeverity(),
                        detection.getDetectionId());
            });
        }
    }

    private static DetectionApplier.Placed place(RegistryState registry, Detection detection) {
        String gatewayId = registry.device(detection.getDeviceId()).map(d -> d.getGatewayId()).orElse("");
        return new DetectionApplier.Placed(detection, locate(registry, detection), gatewayId);
    }

    static Location locate(RegistryState registry, Detection detection) {
        String area = detection.getAreaId();
        if (area.isEmpty()) {
            area = registry.device(detection.getDeviceId()).map(d -> d.getAreaId()).orElse("");
        }
        return registry.locate(area);
    }
}
