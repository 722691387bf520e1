package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.outbox.Outbox;

/**
 * Where every alert event goes, in the transaction of the change that caused it: the outbox (for
 * Kafka), the alert's history (for the API and the live feed) and the notifications it calls for.
 * Nothing is sent from inside a transaction, so a rollback leaves no trace anywhere.
 *
 * <p>A transaction that records events calls {@link #begin} before it touches any alert and
 * {@link #flush} before it commits; the events are written together at the end, in the order
 * they happened, in a few round trips (detections are applied a Kafka batch per transaction).
 * Such transactions run one at a time (see {@link #begin}), which is what lets the live feed and
 * the relay read in commit order.
 */
@ApplicationScoped
public class AlertJournal {

    /** The channel notified when a transaction that recorded alert events commits ({@link org.gridwatch.outbox.CommitListener}). */
    public static final String COMMIT_CHANNEL = "gridwatch_alert_commits";

    private final Outbox outbox = new Outbox(AlertStore.SCHEMA);

    /** The events of transactions under way, by their connection. */
    private final Map<Connection, List<Recorded>> pending = new ConcurrentHashMap<>();

    private record Recorded(Alert alert, AlertEvent event) {
    }

    @Inject
    Notifications notifications;

    public Outbox outbox() {
        return outbox;
    }

    /**
     * Starts recording in this transaction: one transaction-scoped lock, held to commit, so that
     * events get their history and outbox positions in commit order (a sequence alone is taken
     * at insert, not at commit, and a reader could pass a position that a slower transaction fills
     * later). Taken before any row lock, it cannot deadlock with them. The notify, delivered at
     * commit, wakes the live feed and the relay of every replica.
     */
    void begin(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended('gridwatch.alert-journal', 0)), pg_notify(?, '')")) {
            lock.setString(1, COMMIT_CHANNEL);
            lock.execute();
        }
        pending.put(connection, new ArrayList<>());
    }

    /** Records the event, to be written by {@link #flush}. */
    void record(Connection connection, Alert alert, AlertEvent event) {
        List<Recorded> events = pending.get(connection);
        if (events == null) {
            throw new IllegalStateException("Alert event " + event.getType() + " recorded outside begin()/flush()");
        }
        events.add(new Recorded(alert, event));
    }

    /** Writes what was recorded since {@link #begin}, in order. */
    void flush(Connection connection) throws SQLException {
        List<Recorded> events = pending.remove(connection);
        if (events == null || events.isEmpty()) {
            return;
        }
        List<Outbox.Entry> entries = new ArrayList<>(events.size());
        for (Recorded recorded : events) {
            entries.add(new Outbox.Entry(Topics.ALERT_EVENTS, recorded.event().getAlertId(),
                    recorded.event().toByteArray()));
        }
        outbox.addAll(connection, entries);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO alerting.alert_history (event_id, alert_id, type, actor, occurred_at, state, severity, note,
                    level, detection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (Recorded recorded : events) {
                AlertEvent event = recorded.event();
                insert.setObject(1, UUID.fromString(event.getEventId()));
                insert.setObject(2, UUID.fromString(event.getAlertId()));
                insert.setString(3, event.getType().name().substring("TYPE_".length()));
                insert.setString(4, event.getActor());
                insert.setTimestamp(5, Timestamp.from(Timestamps.toInstant(event.getOccurredAt())));
                insert.setString(6, event.getState().name().substring("STATE_".length()));
                insert.setShort(7, (short) event.getSeverityValue());
                insert.setString(8, AlertRows.emptyToNull(event.getNote()));
                insert.setString(9, recorded.alert().routing().level());
                insert.setString(10, AlertRows.emptyToNull(event.getDetectionId()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        List<Notifications.Row> rows = new ArrayList<>();
        for (Recorded recorded : events) {
            rows.addAll(notifications.rowsFor(recorded.alert(), recorded.event()));
        }
        notifications.insert(connection, rows);
    }

    /** Forgets what a failed transaction recorded. */
    void discard(Connection connection) {
        pending.remove(connection);
    }
}
