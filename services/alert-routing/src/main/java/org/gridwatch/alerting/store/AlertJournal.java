package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;

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
 * Nothing is sent from inside a transaction, so a rollback leaves no trace anywhere. Transactions
 * that record events commit one at a time from their first event on (a short tail: the inserts
 * and the commit), which is what lets the live feed and the relay read in commit order.
 */
@ApplicationScoped
public class AlertJournal {

    private final Outbox outbox = new Outbox(AlertStore.SCHEMA);

    @Inject
    Notifications notifications;

    public Outbox outbox() {
        return outbox;
    }

    /** The channel notified when a transaction that recorded alert events commits ({@link CommitListener}). */
    public static final String COMMIT_CHANNEL = "gridwatch_alert_commits";

    void record(Connection connection, Alert alert, AlertEvent event) throws SQLException {
        // Taken once per transaction and held to its commit: events get their history and outbox
        // positions in commit order, so a reader that has seen position n will never find a
        // smaller one appear later (a sequence alone is taken at insert, not at commit). The
        // notify, delivered at commit, wakes the live feed, the relay and the notification dispatcher.
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended('gridwatch.alert-journal', 0)), pg_notify(?, '')")) {
            lock.setString(1, COMMIT_CHANNEL);
            lock.execute();
        }
        outbox.add(connection, Topics.ALERT_EVENTS, event.getAlertId(), event.toByteArray());
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO alerting.alert_history (event_id, alert_id, type, actor, occurred_at, state, severity, note,
                    level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, UUID.fromString(event.getEventId()));
            insert.setObject(2, UUID.fromString(event.getAlertId()));
            insert.setString(3, event.getType().name().substring("TYPE_".length()));
            insert.setString(4, event.getActor());
            insert.setTimestamp(5, Timestamp.from(Timestamps.toInstant(event.getOccurredAt())));
            insert.setString(6, event.getState().name().substring("STATE_".length()));
            insert.setShort(7, (short) event.getSeverityValue());
            insert.setString(8, AlertRows.emptyToNull(event.getNote()));
            insert.setString(9, alert.routing().level());
            insert.executeUpdate();
        }
        notifications.enqueueFor(connection, alert, event);
    }
}
