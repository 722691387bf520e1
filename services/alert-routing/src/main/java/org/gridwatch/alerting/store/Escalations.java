package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.Level;
import org.gridwatch.contract.v1.AlertEvent;

/**
 * The escalation timers, kept on the alerts themselves ({@code next_escalation_at}), so they
 * survive restarts: an open alert whose timer is due is taken with {@code FOR UPDATE SKIP LOCKED}
 * (one replica handles it, the others skip it) and told one level up; once the district has
 * been told, reminders follow until someone acknowledges. Each step is an alert event whose
 * notifications are written in the same transaction.
 */
@ApplicationScoped
public class Escalations {

    @Inject
    DataSource dataSource;

    @Inject
    AlertJournal journal;

    @Inject
    AlertingConfig config;

    /** A due timer (its alert's {@code nextEscalationAt}), with the policy times frozen on the alert. */
    private record Due(Alert alert, Integer escalateAfterSeconds, Integer remindEverySeconds) {
    }

    /** Handles up to {@code limit} due timers; returns how many. */
    @Transactional
    public int runDue(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!anyDue(connection)) {
                return 0;
            }
            journal.begin(connection);
            List<Due> due = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT %s, escalate_after_seconds, remind_every_seconds
                    FROM alerting.alert WHERE next_escalation_at <= now() AND state = 'OPEN'
                    ORDER BY next_escalation_at LIMIT ? FOR UPDATE SKIP LOCKED""".formatted(AlertRows.COLUMNS))) {
                query.setInt(1, limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Alert alert = AlertRows.toAlert(rows);
                        due.add(new Due(alert,
                                (Integer) rows.getObject("escalate_after_seconds"),
                                (Integer) rows.getObject("remind_every_seconds")));
                    }
                }
            }
            try {
                List<Step> steps = due.stream().map(this::plan).toList();
                List<Alert> updated = setTimers(connection, steps);
                for (int i = 0; i < steps.size(); i++) {
                    Step step = steps.get(i);
                    if (step.type() != null) {
                        Alert alert = updated.get(i);
                        journal.record(connection, alert,
                                AlertRows.event(step.type(), alert, Instant.now(), AlertStore.ACTOR, null, step.note()));
                    }
                }
                journal.flush(connection);
            } finally {
                journal.discard(connection);
            }
            return due.size();
        }
    }

    /** A cheap look first, so that an idle tick does not take the journal lock. */
    private static boolean anyDue(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM alerting.alert WHERE next_escalation_at <= now() AND state = 'OPEN')""");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getBoolean(1);
        }
    }

    /**
     * What a due timer does to its alert: the level told and shown from now on, the next timer
     * (null: none), whether it counts as an escalation, and the event it makes (type null: none).
     */
    private record Step(Alert alert, String notifiedLevel, String level, Instant next, int escalations,
                        AlertEvent.Type type, String note) {
    }

    private Step plan(Due timer) {
        Alert alert = timer.alert();
        if (alert.summarizedBy() != null) {
            // A storm summary speaks for it and escalates instead.
            return new Step(alert, null, null, null, 0, null, null);
        }
        if (alert.silencedBy() != null || alert.inhibitedBy() != null) {
            return new Step(alert, alert.routing().notifiedLevel(), null,
                    Instant.now().plus(config.escalation().coveredRecheck()), 0, null, null);
        }
        Level level = Level.parse(alert.routing().level()).orElse(Level.GRID);
        Optional<Level> told = Level.parse(alert.routing().notifiedLevel());
        String note;
        Level tell;
        AlertEvent.Type type = AlertEvent.Type.TYPE_ESCALATED;
        if (told.isEmpty()) {
            // Nobody was told when it opened (a silence or an inhibition covered it); nothing does now.
            tell = level;
            note = "No longer silenced or hidden: told at " + describe(tell, alert);
        } else if (told.get().next(alert.place()).isPresent()) {
            tell = told.get().next(alert.place()).get();
            note = "Not acknowledged within " + timer.escalateAfterSeconds() + " s: told at " + describe(tell, alert);
        } else {
            tell = told.get();
            type = AlertEvent.Type.TYPE_REMINDED;
            note = "Still not acknowledged: reminder to " + describe(tell, alert);
        }
        Integer wait = tell.next(alert.place()).isPresent() ? timer.escalateAfterSeconds() : timer.remindEverySeconds();
        // On the policy's clock from when this step was due, not from when it ran, so a slow or
        // restarted service catches up rather than drifting later at every level.
        Instant next = wait == null ? null : alert.routing().nextEscalationAt().plusSeconds(wait);
        Level shown = tell.ordinal() > level.ordinal() ? tell : level;
        return new Step(alert, tell.id(), shown.id(), next,
                type == AlertEvent.Type.TYPE_ESCALATED && told.isPresent() ? 1 : 0, type, note);
    }

    /** Applies the steps in one round trip; returns the alerts as they are now, in the same order. */
    private static List<Alert> setTimers(Connection connection, List<Step> steps) throws SQLException {
        List<Alert> updated = new ArrayList<>(steps.size());
        if (steps.isEmpty()) {
            return updated;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE alerting.alert SET notified_level = ?, level = coalesce(?, level), next_escalation_at = ?,
                    escalations = escalations + ?,
                    dispatch = dispatch OR (summarized_by IS NULL AND ? IS NOT NULL AND wants_dispatch)
                WHERE alert_id = ? RETURNING %s""".formatted(AlertRows.COLUMNS), Statement.RETURN_GENERATED_KEYS)) {
            for (Step step : steps) {
                update.setString(1, step.notifiedLevel());
                update.setString(2, step.level());
                update.setTimestamp(3, step.next() == null ? null : Timestamp.from(step.next()));
                update.setInt(4, step.escalations());
                // Once someone is told, the task the policy asks for is made too.
                update.setString(5, step.notifiedLevel());
                update.setObject(6, step.alert().alertId());
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
            throw new SQLException(steps.size() + " escalation timers set but " + updated.size() + " alerts returned");
        }
        return updated;
    }

    private static String describe(Level level, Alert alert) {
        return level.id() + " level (" + level.areaOf(alert.place()) + ")";
    }

    /** Storm summaries of communities where no alert has opened for a whole storm window: the storm is over. */
    public List<Alert> quietStorms() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + AlertRows.COLUMNS
                     + " FROM alerting.alert WHERE kind = ? AND state <> 'RESOLVED'"
                     + " AND last_seen < now() - make_interval(secs => ?)")) {
            query.setString(1, AlertRouting.STORM_KIND);
            query.setDouble(2, config.storm().window().toMillis() / 1000.0);
            List<Alert> storms = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    storms.add(AlertRows.toAlert(rows));
                }
            }
            return storms;
        }
    }
}
