package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.Escalation;
import org.gridwatch.alerting.domain.OpeningRoute;
import org.jdbi.v3.core.Jdbi;

/**
 * The escalation timers, kept on the alerts themselves ({@code next_escalation_at}), so they
 * survive restarts: an open alert whose timer is due is taken with {@code FOR UPDATE SKIP LOCKED}
 * (one replica handles it, the others skip it) and takes the {@link Escalation} step it is due
 * for. Each step is an alert event whose notifications are written in the same transaction.
 */
@ApplicationScoped
public class Escalations {

    @Inject
    Jdbi jdbi;

    @Inject
    AlertJournal journal;

    @Inject
    AlertingConfig config;

    @Inject
    Clock clock;

    /** A due timer (its alert's {@code nextEscalationAt}), with the policy times frozen on the alert. */
    private record Due(Alert alert, Integer escalateAfterSeconds, Integer remindEverySeconds) {
    }

    /** Handles up to {@code limit} timers due by now; returns how many. */
    @Transactional(rollbackOn = Exception.class)
    public int runDue(int limit) throws SQLException {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            Connection connection = handle.getConnection();
            if (!anyDue(connection, now)) {
                return 0;
            }
            journal.begin(connection);
            try {
                List<Due> due = takeDue(connection, limit, now);
                List<Escalation.Step> steps = due.stream().map(timer -> Escalation.due(timer.alert(),
                        timer.escalateAfterSeconds(), timer.remindEverySeconds(), config.escalation().coveredRecheck(),
                        now)).toList();
                List<Alert> updated = setTimers(connection, due, steps, now);
                for (int i = 0; i < steps.size(); i++) {
                    Escalation.Step step = steps.get(i);
                    if (step.type() != null) {
                        Alert alert = updated.get(i);
                        journal.record(connection, alert, AlertRows.event(step.type(), alert, now,
                                AlertJournal.SYSTEM_ACTOR, null, step.note()));
                    }
                }
                journal.flush(connection);
                return due.size();
            } finally {
                journal.discard(connection);
            }
        });
    }

    /** A cheap look first, so that an idle tick does not take the journal lock. */
    private static boolean anyDue(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM alerting.alert WHERE next_escalation_at <= ? AND state = 'OPEN')""")) {
            query.setTimestamp(1, Timestamp.from(now));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static List<Due> takeDue(Connection connection, int limit, Instant now) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT %s, escalate_after_seconds, remind_every_seconds
                FROM alerting.alert WHERE next_escalation_at <= ? AND state = 'OPEN'
                ORDER BY next_escalation_at LIMIT ? FOR UPDATE SKIP LOCKED""".formatted(AlertRows.COLUMNS_AT))) {
            query.setTimestamp(1, Timestamp.from(now));
            query.setTimestamp(2, Timestamp.from(now));
            query.setInt(3, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    due.add(new Due(AlertRows.toAlert(rows), (Integer) rows.getObject("escalate_after_seconds"),
                            (Integer) rows.getObject("remind_every_seconds")));
                }
            }
        }
        return due;
    }

    /** Applies the steps in one round trip; returns the alerts as they are now, in the same order. */
    private static List<Alert> setTimers(Connection connection, List<Due> due, List<Escalation.Step> steps,
                                         Instant now) throws SQLException {
        List<Alert> updated = new ArrayList<>(steps.size());
        if (steps.isEmpty()) {
            return updated;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE alerting.alert SET notified_level = ?, level = coalesce(?, level), next_escalation_at = ?,
                    escalations = escalations + ?,
                    dispatch = dispatch OR (summarized_by IS NULL AND ? IS NOT NULL AND wants_dispatch)
                WHERE alert_id = ? RETURNING %s""".formatted(AlertRows.COLUMNS_AT), Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < steps.size(); i++) {
                Escalation.Step step = steps.get(i);
                update.setString(1, step.notifiedLevel());
                update.setString(2, step.level());
                update.setTimestamp(3, step.next() == null ? null : Timestamp.from(step.next()));
                update.setInt(4, step.escalations());
                // Once someone is told, the task the policy asks for is made too.
                update.setString(5, step.notifiedLevel());
                update.setObject(6, due.get(i).alert().alertId());
                update.setTimestamp(7, Timestamp.from(now));
                update.addBatch();
            }
            update.executeBatch();
            try (ResultSet rows = update.getGeneratedKeys()) {
                while (rows.next()) {
                    updated.add(AlertRows.toAlert(rows));
                }
            }
        }
        if (updated.size() != steps.size()) {
            throw new IllegalStateException(steps.size() + " escalation timers set but " + updated.size()
                    + " alerts returned");
        }
        return updated;
    }

    /** Storm summaries of communities where no alert has opened for a whole storm window: the storm is over. */
    public List<Alert> quietStorms() {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + AlertRows.COLUMNS
                        + " FROM alerting.alert WHERE kind = :kind AND state <> 'RESOLVED' AND last_seen < :since")
                .bind("kind", OpeningRoute.STORM_KIND).bind("since", now.minus(config.storm().window()))
                .bind("now", now).map(AlertRows.ALERT).list());
    }
}
