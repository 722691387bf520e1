package org.gridwatch.alerting.store;

import static org.gridwatch.alerting.store.AlertRows.COLUMNS;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.AlertAction;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.plumbing.api.Refusal;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What people do with alerts (acknowledge, resolve with a note, comment, assign), and the link
 * to the task grid-dispatch made of one. Each action locks the alert, checks that it is allowed
 * from the alert's state ({@link AlertAction}), applies it and publishes its event, in one
 * transaction: two operators resolving at once get one success and one refusal, never two events.
 */
@ApplicationScoped
public class AlertActions {

    @Inject
    Jdbi jdbi;

    @Inject
    AlertJournal journal;

    @Inject
    Clock clock;

    /** An operator has seen the alert and is on it. Only an open alert. */
    @Transactional(rollbackOn = Exception.class)
    public AlertEvent acknowledge(UUID alertId, String actor, String note) throws SQLException {
        return act(alertId, actor, AlertAction.ACKNOWLEDGE, note, (handle, now) -> handle.createQuery("""
                        UPDATE alerting.alert SET state = 'ACKNOWLEDGED', acknowledged_at = :now,
                            acknowledged_by = :actor, next_escalation_at = NULL
                        WHERE alert_id = :id RETURNING %s""".formatted(COLUMNS))
                .bind("now", now).bind("actor", actor).bind("id", alertId).map(AlertRows.ALERT).one());
    }

    /** A person resolves the alert, with a note saying what was done. An open or acknowledged alert. */
    @Transactional(rollbackOn = Exception.class)
    public AlertEvent resolve(UUID alertId, String actor, String note) throws SQLException {
        return act(alertId, actor, AlertAction.RESOLVE, note, (handle, now) -> handle.createQuery("""
                        UPDATE alerting.alert SET state = 'RESOLVED', resolved_at = :now, resolved_by = :actor,
                            resolution_note = :note, next_escalation_at = NULL
                        WHERE alert_id = :id RETURNING %s""".formatted(COLUMNS))
                .bind("now", now).bind("actor", actor).bind("note", note).bind("id", alertId)
                .map(AlertRows.ALERT).one());
    }

    /** A comment on the alert, kept in its history; in any state. */
    @Transactional(rollbackOn = Exception.class)
    public AlertEvent comment(UUID alertId, String actor, String text) throws SQLException {
        return act(alertId, actor, AlertAction.COMMENT, text, null);
    }

    /** Gives the alert to someone (an operator or a worker id). An open or acknowledged alert. */
    @Transactional(rollbackOn = Exception.class)
    public AlertEvent assign(UUID alertId, String actor, String assignee) throws SQLException {
        return act(alertId, actor, AlertAction.ASSIGN, assignee, (handle, now) -> handle.createQuery(
                        "UPDATE alerting.alert SET assignee = :assignee WHERE alert_id = :id RETURNING " + COLUMNS)
                .bind("assignee", assignee).bind("id", alertId).bind("now", now).map(AlertRows.ALERT).one());
    }

    /**
     * Links the alert to the task grid-dispatch made of it (the first one: a task reopened or
     * reassigned keeps its id). Returns whether the alert exists.
     */
    public boolean linkTask(UUID alertId, String taskId) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE alerting.alert SET task_id = coalesce(task_id, :taskId) WHERE alert_id = :id")
                .bind("taskId", taskId).bind("id", alertId).execute() == 1);
    }

    /** How an action changes the alert row; null for one that only records an event (a comment). */
    @FunctionalInterface
    private interface Change {
        Alert apply(Handle handle, Instant now);
    }

    private AlertEvent act(UUID alertId, String actor, AlertAction action, String text, Change change)
            throws SQLException {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            Connection connection = handle.getConnection();
            journal.begin(connection);
            try {
                Alert alert = AlertRows.find(handle, alertId, true, now)
                        .orElseThrow(() -> new AlertNotFoundException(alertId));
                String refusal = action.refusal(alert);
                if (refusal != null) {
                    throw new IllegalTransitionException(refusal);
                }
                Alert changed = change == null ? alert : change.apply(handle, now);
                AlertEvent event = AlertRows.event(action.event(), changed, now, actor, null, text);
                journal.record(connection, changed, event);
                journal.flush(connection);
                return event;
            } finally {
                journal.discard(connection);
            }
        });
    }

    /** No alert has this id. */
    public static final class AlertNotFoundException extends Refusal {
        public AlertNotFoundException(UUID alertId) {
            super(404, "Unknown alert", "No alert " + alertId);
        }
    }

    /** The change is not allowed from the alert's state, e.g. resolving an alert twice. */
    public static final class IllegalTransitionException extends Refusal {
        IllegalTransitionException(String detail) {
            super(409, "Not allowed in the alert's state", detail);
        }
    }
}
