package org.gridwatch.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.Topics;
import org.gridwatch.ingest.domain.Outgoing;
import org.gridwatch.plumbing.kafka.DeadLetters;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes the records of one MQTT message to Kafka (acks=all, idempotent producer; see
 * application.properties) and completes when Kafka has acknowledged every one of them. A record
 * is counted, as accepted or dead-lettered, once Kafka has it; one Kafka refused is counted as
 * not forwarded (the MQTT message is then not acknowledged, and the broker sends it again).
 */
@ApplicationScoped
public class KafkaForwarder {

    public static final String CHANNEL = "ingest-out";

    @Inject
    @Channel(CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 50_000)
    MutinyEmitter<byte[]> emitter;

    @Inject
    MeterRegistry metrics;

    public CompletableFuture<Void> send(List<Outgoing> records) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < records.size(); i++) {
            Outgoing record = records.get(i);
            RecordHeaders headers = new RecordHeaders();
            for (Map.Entry<String, String> header : record.headers().entrySet()) {
                headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
            }
            Message<byte[]> message = Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(record.topic()).withKey(record.key()).withHeaders(headers).build());
            acks[i] = emitter.sendMessage(message).subscribeAsCompletionStage()
                    .whenComplete((sent, failure) -> count(record, failure));
        }
        return CompletableFuture.allOf(acks);
    }

    private void count(Outgoing record, Throwable failure) {
        if (failure != null) {
            metrics.counter("gridwatch.ingest.not.forwarded", "topic", record.topic()).increment();
        } else if (record.isDeadLetter()) {
            DeadLetters.count(metrics, RejectReason.valueOf(record.headers().get(Topics.HEADER_REASON)));
        } else {
            metrics.counter("gridwatch.ingest.accepted", "topic", record.topic()).increment();
        }
    }
}
