package org.gridwatch.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.gridwatch.contract.Topics;
import org.gridwatch.ingest.domain.Outgoing;
import org.gridwatch.plumbing.kafka.DeadLetters;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * What the bridge counts as forwarded: only what Kafka acknowledged. Kafka is stood in for by an
 * emitter whose sends the test completes or fails, so the counting is seen before and after.
 */
class KafkaForwarderTest {

    private final List<CompletableFuture<Void>> sends = new ArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @SuppressWarnings("unchecked")
    private KafkaForwarder forwarder() {
        KafkaForwarder forwarder = new KafkaForwarder();
        forwarder.emitter = (MutinyEmitter<byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MutinyEmitter.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("sendMessage")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    CompletableFuture<Void> ack = new CompletableFuture<>();
                    sends.add(ack);
                    return Uni.createFrom().completionStage(ack);
                });
        forwarder.metrics = metrics;
        return forwarder;
    }

    private double accepted() {
        return metrics.counter("gridwatch.ingest.accepted", "topic", Topics.READINGS).count();
    }

    @Test
    void aRecordCountsAsAcceptedOnlyOnceKafkaHasAcknowledgedIt() {
        CompletableFuture<Void> forwarded = forwarder().send(List.of(
                new Outgoing(Topics.READINGS, "mat-1", new byte[] {1}, Map.of()),
                new Outgoing(Topics.INGEST_DEAD_LETTER, "mat-1", new byte[] {2},
                        Map.of(Topics.HEADER_REASON, "OUT_OF_RANGE"))));

        assertThat(accepted()).as("accepted before Kafka answered").isZero();
        assertThat(forwarded).isNotDone();

        sends.forEach(ack -> ack.complete(null));

        assertThat(forwarded).isCompleted();
        assertThat(accepted()).isEqualTo(1);
        assertThat(metrics.counter(DeadLetters.COUNTER, "reason", "OUT_OF_RANGE").count()).isEqualTo(1);
    }

    @Test
    void aRecordKafkaRefusesIsCountedAsNotForwardedAndNeverAsAccepted() {
        CompletableFuture<Void> forwarded = forwarder().send(List.of(
                new Outgoing(Topics.READINGS, "mat-1", new byte[] {1}, Map.of())));

        sends.get(0).completeExceptionally(new IllegalStateException("broker not available"));

        assertThat(forwarded).isCompletedExceptionally();
        assertThat(accepted()).isZero();
        assertThat(metrics.counter("gridwatch.ingest.not.forwarded", "topic", Topics.READINGS).count()).isEqualTo(1);
    }
}
