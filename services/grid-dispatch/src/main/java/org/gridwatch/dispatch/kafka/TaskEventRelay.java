package org.gridwatch.dispatch.kafka;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.gridwatch.dispatch.store.TaskStore;
import org.gridwatch.outbox.CommitListener;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes the task events of the outbox to Kafka, oldest first: as soon as a transaction that
 * wrote some commits (on any replica), and every {@code gridwatch.dispatch.outbox-interval} in
 * any case.
 */
@ApplicationScoped
public class TaskEventRelay {

    private static final int BATCH = 500;

    @Inject
    @Channel("task-events-out")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 5_000)
    MutinyEmitter<byte[]> emitter;

    @Inject
    TaskStore tasks;

    @Inject
    DataSource dataSource;

    @Inject
    CommitListener commits;

    @ConfigProperty(name = "gridwatch.dispatch.outbox-interval", defaultValue = "1s")
    Duration interval;

    void start(@Observes StartupEvent start) {
        commits.pump(TaskStore.COMMIT_CHANNEL, "task-event-relay", interval, Duration.ofMillis(10), this::relay);
    }

    void relay() {
        tasks.outbox().relayAll(dataSource, this::publish, BATCH);
    }

    private CompletionStage<Void> publish(String topic, String key, byte[] payload) {
        return emitter.sendMessage(Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).build())).subscribeAsCompletionStage();
    }
}
