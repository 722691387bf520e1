package org.gridwatch.plumbing.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.gridwatch.contract.DeadLetter;
import org.gridwatch.contract.RejectReason;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sets records aside on a service's dead-letter channel, in the one shape of {@link DeadLetter},
 * counted under one name ({@value #COUNTER}, by reason) in every service.
 */
public final class DeadLetters {

    /** The counter of dead letters, tagged {@code reason}, in every service. */
    public static final String COUNTER = "gridwatch.dead.letters";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry metrics;

    public DeadLetters(MutinyEmitter<byte[]> emitter, MeterRegistry metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    /** Sends the dead letter and waits until Kafka has it, so that it is never lost with the record it stands for. */
    public void send(String key, DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        letter.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        emitter.sendMessageAndAwait(Message.of(letter.payload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build()));
        count(metrics, letter.reason());
        LOG.warnf("Set aside a record from %s: %s (%s)", letter.source(), letter.reason(), letter.detail());
    }

    /** Counts a dead letter written some other way (the ingest-bridge's go with the records of their message). */
    public static void count(MeterRegistry metrics, RejectReason reason) {
        metrics.counter(COUNTER, "reason", reason.name()).increment();
    }

    /**
     * The dead letter of a record its deserializer could not decode: with
     * {@code fail-on-deserialization-failure=false} its value arrives as null and the connector
     * puts the reason and the original bytes in headers.
     */
    public static DeadLetter undecodable(ConsumerRecord<?, ?> record) {
        Header reason = record.headers().lastHeader("deserialization-failure-reason");
        Header data = record.headers().lastHeader("deserialization-failure-data");
        return new DeadLetter(RejectReason.UNDECODABLE,
                reason == null ? "the value is not a record of this topic's type" : utf8(reason.value()),
                DeadLetter.source(record.topic(), record.partition(), record.offset()),
                data == null ? null : data.value());
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
