package org.gridwatch.alerting.kafka;

import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.gridwatch.alerting.store.AlertStore;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.outbox.SqlRetry;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes detections a Kafka batch at a time, in order per subject, and applies each batch in
 * one transaction. A record that cannot be decoded, or a detection the store refuses on its own,
 * goes to the dead-letter topic with the reason; the others are applied all the same.
 */
@ApplicationScoped
public class DetectionConsumer {

    private static final Logger LOG = Logger.getLogger(DetectionConsumer.class);

    @Inject
    AlertStore alerts;

    @Inject
    RegistryViewBean registry;

    @Inject
    MeterRegistry metrics;

    @Inject
    @Channel("detections-dead-letter")
    MutinyEmitter<byte[]> deadLetters;

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
    public void onDetections(ConsumerRecords<String, Detection> records) throws InterruptedException {
        // Without the registry an alert would have no place, so wait for it once at start-up.
        if (!registry.awaitCaughtUp(Duration.ofMinutes(2))) {
            throw new IllegalStateException("Registry not available: cannot place " + records.count() + " detections");
        }
        RegistryState state = registry.state();
        List<AlertStore.Placed> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, Detection> record : records) {
            if (record.value() == null) {
                deadLetter(record.key(), RejectReason.UNDECODABLE, header(record, "deserialization-failure-reason"),
                        source(record), failedData(record));
            } else {
                batch.add(place(state, record.value()));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, Detection> record : records) {
            oldest = Math.min(oldest, record.timestamp());
        }
        batchWait.record(Math.max(0, System.currentTimeMillis() - oldest), TimeUnit.MILLISECONDS);
        try {
            long started = System.nanoTime();
            List<Optional<AlertEvent>> events = SqlRetry.run("applying " + batch.size() + " detections",
                    () -> alerts.applyAll(batch));
            batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            batchSize.record(batch.size());
            report(batch, events);
        } catch (RuntimeException e) {
            // One of them is refused for good: apply them one at a time, so that only it is set aside.
            LOG.warnf("A batch of %d detections failed (%s): applying them one at a time", batch.size(), e.toString());
            for (AlertStore.Placed placed : batch) {
                try {
                    report(List.of(placed), SqlRetry.run("applying detection " + placed.detection().getDetectionId(),
                            () -> alerts.applyAll(List.of(placed))));
                } catch (RuntimeException refused) {
                    deadLetter(placed.detection().getSubjectId(), RejectReason.REFUSED, refused.toString(),
                            Topics.DETECTIONS, placed.detection().toByteArray());
                }
            }
        }
    }

    private void report(List<AlertStore.Placed> batch, List<Optional<AlertEvent>> events) {
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

    private static AlertStore.Placed place(RegistryState registry, Detection detection) {
        String gatewayId = registry.device(detection.getDeviceId()).map(d -> d.getGatewayId()).orElse("");
        return new AlertStore.Placed(detection, locate(registry, detection), gatewayId);
    }

    static Location locate(RegistryState registry, Detection detection) {
        String area = detection.getAreaId();
        if (area.isEmpty()) {
            area = registry.device(detection.getDeviceId()).map(d -> d.getAreaId()).orElse("");
        }
        return registry.locate(area);
    }

    /** Sends the original bytes to the dead-letter topic with the reason, its detail and where they came from. */
    private void deadLetter(String key, RejectReason reason, String detail, String source, byte[] payload) {
        LOG.warnf("Detection from %s dead-lettered: %s (%s)", source, reason, detail);
        metrics.counter("gridwatch.alerts.dead-letters", "reason", reason.name()).increment();
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_REASON, reason.name().getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_DETAIL, String.valueOf(detail).getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_SOURCE_TOPIC, source.getBytes(StandardCharsets.UTF_8));
        deadLetters.sendMessageAndAwait(Message.of(payload == null ? new byte[0] : payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build()));
    }

    private static String source(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "not a detection" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] failedData(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader("deserialization-failure-data");
        return header == null ? null : header.value();
    }
}
