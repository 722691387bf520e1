package org.gridwatch.telemetry.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.telemetry.store.CopyWriter;
import org.gridwatch.telemetry.store.TimeSeriesStore;
import org.jboss.logging.Logger;

import com.google.protobuf.MessageLite;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Stores every reading, detection, alert event and task event, a Kafka batch at a time. A batch is
 * acknowledged (its offsets committed) only after it is stored, so a crash means a redelivery,
 * which the idempotent insert absorbs.
 */
@ApplicationScoped
public class TimeSeriesConsumers {

    private static final Logger LOG = Logger.getLogger(TimeSeriesConsumers.class);

    @Inject
    TimeSeriesStore store;

    @Inject
    MeterRegistry metrics;

    @Inject
    @Channel("telemetry-dead-letter")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
    MutinyEmitter<byte[]> deadLetters;

    @Incoming("readings")
    @Blocking
    public void readings(List<Reading> batch) {
        store(batch, "reading", Topics.READINGS, store::writeReadings);
    }

    @Incoming("detections")
    @Blocking
    public void detections(List<Detection> batch) {
        store(batch, "detection", Topics.DETECTIONS, store::writeDetections);
    }

    @Incoming("alert-events")
    @Blocking
    public void alertEvents(List<AlertEvent> batch) {
        store(batch, "alert_event", Topics.ALERT_EVENTS, store::writeAlertEvents);
    }

    @Incoming("task-events")
    @Blocking
    public void taskEvents(List<TaskEvent> batch) {
        store(batch, "task_event", Topics.TASK_EVENTS, store::writeTaskEvents);
    }

    private <T extends MessageLite> void store(List<T> batch, String table, String sourceTopic,
                                               Function<List<T>, List<CopyWriter.Failed<T>>> writer) {
        List<T> rows = present(batch, table);
        deadLetter(sourceTopic, writer.apply(rows));
        metrics.counter("gridwatch.telemetry.stored", "table", table).increment(rows.size());
    }

    /** Records that could not be decoded arrive as null (fail-on-deserialization-failure=false): count and skip them. */
    private <T> List<T> present(List<T> batch, String what) {
        List<T> rows = batch.stream().filter(Objects::nonNull).toList();
        if (rows.size() < batch.size()) {
            int skipped = batch.size() - rows.size();
            metrics.counter("gridwatch.telemetry.undecodable", "records", what).increment(skipped);
            LOG.warnf("Skipped %d undecodable %s records", skipped, what);
        }
        return rows;
    }

    private <T extends MessageLite> void deadLetter(String sourceTopic, List<CopyWriter.Failed<T>> failed) {
        for (CopyWriter.Failed<T> row : failed) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(Topics.HEADER_REASON, "NOT_STORABLE".getBytes(StandardCharsets.UTF_8));
            headers.add(Topics.HEADER_DETAIL, row.reason().getBytes(StandardCharsets.UTF_8));
            headers.add(Topics.HEADER_SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
            deadLetters.sendMessageAndAwait(Message.of(row.row().toByteArray()).addMetadata(
                    OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build()));
            metrics.counter("gridwatch.telemetry.dead.lettered", "topic", sourceTopic).increment();
            LOG.errorf("A record of %s could not be stored and went to %s: %s", sourceTopic,
                    Topics.TELEMETRY_DEAD_LETTER, row.reason());
        }
    }
}
