package org.gridwatch.dispatch.kafka;

import java.util.concurrent.CompletionStage;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.gridwatch.dispatch.store.TaskStore;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes the task events of the outbox to Kafka, oldest first, a batch every few hundred milliseconds. */
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

    @Scheduled(every = "${gridwatch.dispatch.outbox-interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        tasks.outbox().relayAll(dataSource, this::publish, BATCH);
    }

    private CompletionStage<Void> publish(String topic, String key, byte[] payload) {
        return emitter.sendMessage(Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).build())).subscribeAsCompletionStage();
    }
}
