package org.gridwatch.alerting.kafka;

import java.time.Duration;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.store.AlertJournal;
import org.gridwatch.plumbing.commit.CommitListener;
import org.gridwatch.plumbing.outbox.Outbox;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes the alert events of the outbox to Kafka, oldest first, as soon as they commit. */
@ApplicationScoped
public class AlertEventRelay {

    private static final int BATCH = 500;
    /**
     * Under a stream of commits, one relay round per this gap, taking all that came. Short on
     * purpose: fewer, bigger rounds every 50 ms saved no processor time visibly and came as bursts
     * that held up the detections on their way to the consoles (make bench-alerting, three runs
     * each, interleaved: median p99 94 ms against 57 ms at 10 ms).
     */
    private static final Duration MIN_GAP = Duration.ofMillis(10);

    @Inject
    @Channel("alert-events-out")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 5_000)
    MutinyEmitter<byte[]> emitter;

    @Inject
    AlertJournal journal;

    @Inject
    DataSource dataSource;

    @Inject
    CommitListener commits;

    @Inject
    AlertingConfig config;

    /**
     * Relays when alert events commit (on any replica), at most every {@link #MIN_GAP}, and every
     * outbox interval regardless.
     */
    void start(@Observes StartupEvent start) {
        Outbox.Publisher kafka = Outbox.through(emitter);
        commits.pump(AlertJournal.COMMIT_CHANNEL, "alert-event-relay", config.outboxInterval(), MIN_GAP,
                () -> journal.outbox().relayAll(dataSource, kafka, BATCH));
    }
}
