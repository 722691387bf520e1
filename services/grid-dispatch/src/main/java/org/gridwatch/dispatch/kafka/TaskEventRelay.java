package org.gridwatch.dispatch.kafka;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.gridwatch.contract.TopicAdmin;
import org.gridwatch.contract.Topics;
import org.gridwatch.dispatch.DispatchConfig;
import org.gridwatch.dispatch.store.TaskJournal;
import org.gridwatch.plumbing.commit.CommitListener;
import org.gridwatch.plumbing.outbox.Outbox;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Creates grid-dispatch's topics if they do not exist yet, and publishes the task events of the outbox to Kafka, oldest first: as soon as a transaction that
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
    TaskJournal journal;

    @Inject
    DataSource dataSource;

    @Inject
    CommitListener commits;

    @Inject
    DispatchConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    void start(@Observes StartupEvent start) {
        TopicAdmin.ensureTopics(bootstrapServers, List.of(Topics.ALERT_EVENTS, Topics.TASK_EVENTS,
                Topics.GRID_DISPATCH_DEAD_LETTER));
        Outbox.Publisher kafka = Outbox.through(emitter);
        commits.pump(TaskJournal.COMMIT_CHANNEL, "task-event-relay", config.outboxInterval(), Duration.ofMillis(10),
                () -> journal.outbox().relayAll(dataSource, kafka, BATCH));
    }
}
