package org.gridwatch.alerting.kafka;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.gridwatch.alerting.store.AlertActions;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.plumbing.kafka.DeadLetters;
import org.gridwatch.plumbing.retry.Progress;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;

/**
 * Follows the tasks grid-dispatch makes of alerts: links each alert to its task when the task is
 * created, and resolves the alert when its task closes (the fix verified on site by someone other
 * than the one who made it), with who verified and the resolution note.
 */
@ApplicationScoped
public class TaskEventConsumer {

    static final String CONSUMER = "task-events consumer";
    private static final Logger LOG = Logger.getLogger(TaskEventConsumer.class);

    @Inject
    AlertActions alerts;

    @Inject
    Progress progress;

    @Inject
    DeadLetters deadLetters;

    @Incoming("task-events")
    @Blocking
    public void onTaskEvent(ConsumerRecord<String, TaskEvent> record) {
        TaskEvent event = record.value();
        if (event == null) {
            deadLetters.send(record.key(), DeadLetters.undecodable(record));
            return;
        }
        boolean linksOrCloses = event.getType() == TaskEvent.Type.TYPE_CREATED
                || event.getType() == TaskEvent.Type.TYPE_CLOSED;
        if (!linksOrCloses || event.getAlertId().isEmpty()) {
            // Other steps change no alert; a task from a report has none.
            return;
        }
        UUID alertId;
        try {
            alertId = UUID.fromString(event.getAlertId());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Task %s names alert '%s', which is not an alert id: ignored", event.getTaskId(),
                    event.getAlertId());
            return;
        }
        if (event.getType() == TaskEvent.Type.TYPE_CREATED) {
            progress.untilDone(CONSUMER, "linking task " + event.getTaskId(),
                    () -> alerts.linkTask(alertId, event.getTaskId()));
            return;
        }
        try {
            progress.untilDone(CONSUMER, "resolving alert " + alertId + " as its task closed", () -> alerts.resolve(
                    alertId, event.getActor(), "task " + event.getTaskId() + " verified and closed"
                            + (event.getNote().isEmpty() ? "" : ": " + event.getNote())));
        } catch (AlertActions.IllegalTransitionException | AlertActions.AlertNotFoundException e) {
            // Already resolved (a clear detection came first, or the event is redelivered): nothing to do.
            LOG.debugf("Task %s closed, alert %s not resolved again: %s", event.getTaskId(), alertId, e.getMessage());
        }
    }
}
