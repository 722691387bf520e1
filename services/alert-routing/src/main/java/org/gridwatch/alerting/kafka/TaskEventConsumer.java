package org.gridwatch.alerting.kafka;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.gridwatch.alerting.store.AlertStore;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.outbox.SqlRetry;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;

/** Links each alert to the task grid-dispatch made of it, from the task events. */
@ApplicationScoped
public class TaskEventConsumer {

    private static final Logger LOG = Logger.getLogger(TaskEventConsumer.class);

    @Inject
    AlertStore alerts;

    @Incoming("task-events")
    @Blocking
    public void onTaskEvent(TaskEvent event) throws InterruptedException {
        if (event == null || event.getType() != TaskEvent.Type.TYPE_CREATED || event.getAlertId().isEmpty()) {
            // Undecodable records are skipped (logged by the connector); only a task's creation links it.
            return;
        }
        UUID alertId;
        try {
            alertId = UUID.fromString(event.getAlertId());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Task %s names alert '%s', which is not an alert id: not linked", event.getTaskId(),
                    event.getAlertId());
            return;
        }
        SqlRetry.run("linking task " + event.getTaskId(), () -> alerts.linkTask(alertId, event.getTaskId()));
    }
}
