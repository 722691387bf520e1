package org.gridwatch.telemetry.kafka;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.gridwatch.contract.DeadLetter;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.plumbing.kafka.DeadLetters;
import org.gridwatch.plumbing.retry.SqlRetry;
import org.gridwatch.telemetry.store.CopyWriter;
import org.gridwatch.telemetry.store.DeadLetterStore;
import org.gridwatch.telemetry.store.TimeSeriesStore;

import com.google.protobuf.MessageLite;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Stores every reading, detection, alert event and task event, a Kafka batch at a time. A batch is
 * acknowledged (its offsets committed) only after it is stored, so a crash means a redelivery,
 * which the idempotent insert absorbs. A record that cannot be decoded, or a row the database
 * refuses for good, goes to the dead-letter topic as it came, with the reason; the rest of its
 * batch is stored all the same.
 */
@ApplicationScoped
public class TimeSeriesConsumers {

    @Inject
    TimeSeriesStore store;

    @Inject
    MeterRegistry metrics;

    @Inject
    @Channel("dead-letters")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
    MutinyEmitter<byte[]> deadLetterChannel;

    private DeadLetters deadLetters;

    @PostConstruct
    void init() {
        deadLetters = new DeadLetters(deadLetterChannel, metrics);
    }

    @Incoming("readings")
    @Blocking
    public void readings(ConsumerRecords<String, Reading> batch) {
        store(batch, "reading", store::writeReadings);
    }

    @Incoming("detections")
    @Blocking
    public void detections(ConsumerRecords<String, Detection> batch) {
        store(batch, "detection", store::writeDetections);
    }

    @Incoming("alert-events")
    @Blocking
    public void alertEvents(ConsumerRecords<String, AlertEvent> batch) {
        store(batch, "alert_event", store::writeAlertEvents);
    }

    @Incoming("task-events")
    @Blocking
    public void taskEvents(ConsumerRecords<String, TaskEvent> batch) {
        store(batch, "task_event", store::writeTaskEvents);
    }

    @Inject
    DeadLetterStore deadLetterStore;

    /**
     * Every service's dead letters, stored for the integrator's page. A database that is away is
     * waited for (the batch is acknowledged only once stored); nothing here is itself dead-lettered.
     */
    @Incoming("dead-letters-in")
    @Blocking
    public void deadLetters(ConsumerRecords<String, byte[]> batch) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(batch.count());
        batch.forEach(records::add);
        SqlRetry.run("storing " + records.size() + " dead letters", () -> {
            deadLetterStore.write(records);
            return null;
        });
        metrics.counter("gridwatch.telemetry.stored", "table", "dead_letter").increment(records.size());
    }

    private <T extends MessageLite> void store(ConsumerRecords<String, T> batch, String table,
                                               Function<List<T>, List<CopyWriter.Failed<T>>> writer) {
        List<T> rows = new ArrayList<>(batch.count());
        // By identity: two records may carry equal values (a redelivery), each with its own offset.
        Map<T, ConsumerRecord<String, T>> sources = new IdentityHashMap<>(batch.count());
        for (ConsumerRecord<String, T> record : batch) {
            if (record.value() == null) {
                deadLetters.send(record.key(), DeadLetters.undecodable(record));
            } else {
                rows.add(record.value());
                sources.put(record.value(), record);
            }
        }
        List<CopyWriter.Failed<T>> refused = writer.apply(rows);
        for (CopyWriter.Failed<T> failed : refused) {
            ConsumerRecord<String, T> source = sources.get(failed.row());
            deadLetters.send(source.key(), new DeadLetter(RejectReason.REFUSED, failed.reason(),
                    DeadLetter.source(source.topic(), source.partition(), source.offset()), failed.row().toByteArray()));
        }
        metrics.counter("gridwatch.telemetry.stored", "table", table).increment(rows.size() - refused.size());
    }
}
