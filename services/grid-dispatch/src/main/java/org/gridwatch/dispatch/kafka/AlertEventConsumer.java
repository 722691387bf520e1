package org.gridwatch.dispatch.kafka;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.dispatch.store.TaskStore;
import org.gridwatch.outbox.SqlRetry;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;

/** Turns each newly opened alert into a task for an on-duty worker of its grid. */
@ApplicationScoped
public class AlertEventConsumer {

    private static final Logger LOG = Logger.getLogger(AlertEventConsumer.class);

    @Inject
    TaskStore tasks;

    @Inject
    RegistryViewBean registry;

    @Inject
    MeterRegistry metrics;

    @Incoming("alert-events")
    @Blocking
    public void onAlertEvent(AlertEvent event) throws InterruptedException {
        if (event == null) {
            throw new IllegalArgumentException("Undecodable alert event record");
        }
        // A task for an alert whose routing policy asks for one, when it opens, or when it is first
        // told after a silence or an inhibition covered it (an escalation event). A storm summary
        // and the alerts it sums up ask for none. One task per alert: a repeat request is a no-op.
        if (event.getType() == AlertEvent.Type.TYPE_RESOLVED) {
            // The problem went away before anyone arrived (a clear detection, an operator): the
            // task is cancelled with the reason; one already on site goes on.
            for (TaskEvent task : SqlRetry.run("cancelling the task of alert " + event.getAlertId(),
                    () -> tasks.cancelForAlert(event.getAlertId(), "alert resolved by " + event.getActor()
                            + (event.getNote().isEmpty() ? "" : ": " + event.getNote())))) {
                LOG.infof("Task %s cancelled: alert %s resolved", task.getTaskId(), event.getAlertId());
            }
            return;
        }
        boolean told = event.getType() == AlertEvent.Type.TYPE_OPENED
                || event.getType() == AlertEvent.Type.TYPE_ESCALATED;
        if (!told || !event.getDispatch() || event.getState() != AlertEvent.State.STATE_OPEN) {
            return;
        }
        if (!registry.awaitCaughtUp(Duration.ofMinutes(2))) {
            throw new IllegalStateException("Registry not available: cannot assign alert " + event.getAlertId());
        }
        for (TaskEvent task : SqlRetry.run("creating the task of alert " + event.getAlertId(),
                () -> tasks.createForAlert(event, registry.state()))) {
            metrics.counter("gridwatch.tasks.events", "type", task.getType().name()).increment();
            LOG.infof("Task %s %s for alert %s: %s %s", task.getTaskId(), task.getType(), event.getAlertId(),
                    task.getWorkerId(), task.getReason());
        }
    }
}
