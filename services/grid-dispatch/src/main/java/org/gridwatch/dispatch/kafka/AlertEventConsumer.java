package org.gridwatch.dispatch.kafka;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.gridwatch.contract.DeadLetter;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.dispatch.store.TaskActions;
import org.gridwatch.dispatch.store.TaskAssigner;
import org.gridwatch.plumbing.kafka.DeadLetters;
import org.gridwatch.plumbing.retry.NotReadyException;
import org.gridwatch.plumbing.retry.Progress;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Turns each alert that asks for a task into one for an on-duty worker of its grid, and cancels
 * the task of an alert resolved before anyone arrived. A failure that passes (the registry not
 * read yet, the database away, a lost race) holds the event and is retried until it goes
 * through, the service not ready meanwhile: an alert is never left without its task for it. Only
 * a record that cannot be decoded, or one the database refuses for good, is dead-lettered.
 */
@ApplicationScoped
public class AlertEventConsumer {

    static final String CONSUMER = "alert-events consumer";
    private static final Logger LOG = Logger.getLogger(AlertEventConsumer.class);

    @Inject
    TaskAssigner assigner;

    @Inject
    TaskActions actions;

    @Inject
    RegistryViewBean registry;

    @Inject
    Progress progress;

    @Inject
    MeterRegistry metrics;

    @Inject
    @Channel("dead-letters")
    MutinyEmitter<byte[]> deadLetterChannel;

    private DeadLetters deadLetters;

    @PostConstruct
    void init() {
        deadLetters = new DeadLetters(deadLetterChannel, metrics);
    }

    @Incoming("alert-events")
    @Blocking
    public void onAlertEvent(ConsumerRecord<String, AlertEvent> record) {
        AlertEvent event = record.value();
        if (event == null) {
            deadLetters.send(record.key(), DeadLetters.undecodable(record));
            return;
        }
        try {
            handle(event);
        } catch (RuntimeException refused) {
            deadLetters.send(record.key(), new DeadLetter(RejectReason.REFUSED, refused.toString(),
                    DeadLetter.source(record.topic(), record.partition(), record.offset()), event.toByteArray()));
        }
    }

    private void handle(AlertEvent event) {
        if (event.getType() == AlertEvent.Type.TYPE_RESOLVED) {
            // The problem went away before anyone arrived (a clear detection, an operator): the
            // task is cancelled with the reason; one already on site goes on.
            for (TaskEvent task : progress.untilDone(CONSUMER, "cancelling the task of alert " + event.getAlertId(),
                    () -> actions.cancelForAlert(event.getAlertId(), "alert resolved by " + event.getActor()
                            + (event.getNote().isEmpty() ? "" : ": " + event.getNote())))) {
                LOG.infof("Task %s cancelled: alert %s resolved", task.getTaskId(), event.getAlertId());
            }
            return;
        }
        // A task for an alert whose routing policy asks for one, when it opens, or when it is first
        // told after a silence or an inhibition covered it (an escalation event). A storm summary
        // and the alerts it sums up ask for none. One task per alert: a repeat request is a no-op.
        boolean told = event.getType() == AlertEvent.Type.TYPE_OPENED
                || event.getType() == AlertEvent.Type.TYPE_ESCALATED;
        if (!told || !event.getDispatch() || event.getState() != AlertEvent.State.STATE_OPEN) {
            return;
        }
        for (TaskEvent task : progress.untilDone(CONSUMER, "creating the task of alert " + event.getAlertId(), () -> {
            // Assigning needs the grid's workers: wait for the registry rather than assign to nobody.
            if (!registry.awaitCaughtUp(Duration.ofSeconds(5))) {
                throw new NotReadyException("the registry topic has not been read since start-up");
            }
            return assigner.createForAlert(event, registry.state());
        })) {
            metrics.counter("gridwatch.tasks.events", "type", task.getType().name()).increment();
            LOG.infof("Task %s %s for alert %s: %s %s", task.getTaskId(), task.getType(), event.getAlertId(),
                    task.getWorkerId(), task.getReason());
        }
    }
}
