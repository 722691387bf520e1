package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.plumbing.outbox.Outbox;
import org.gridwatch.plumbing.sql.Rows;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

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

    /**
     * The channel notified when a transaction that recorded alert events commits
     * ({@link org.gridwatch.plumbing.commit.CommitListener}); the payload is {@link #REPLICA}, the replica that
     * committed.
     */
    public static final String COMMIT_CHANNEL = "gridwatch_alert_commits";

    /** The database schema alert-routing owns. */
    public static final String SCHEMA = "alerting";

    /** The actor of the changes alert-routing makes by itself. */
    static final String SYSTEM_ACTOR = "system:alert-routing";

    /** This replica, as named in its commit notifications. */
    public static final String REPLICA = UUID.randomUUID().toString();

    private final Outbox outbox = new Outbox(SCHEMA);

    /** The transactions under way, by their connection. */
    private final Map<Connection, Recording> pending = new ConcurrentHashMap<>();

    /** A transaction's events so far, and the last position committed before it took the journal lock. */
    private record Recording(long previous, List<Recorded> events) {
    }

    private record Recorded(Alert alert, AlertEvent event) {
    }

    @Inject
    Notifications notifications;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    Event<AlertFeed.Committed> committed;

    @Inject
    MeterRegistry metrics;

    /** How long event-writing transactions wait for the journal: what one lock for all costs as replicas are added. */
    private Timer journalWait;

    @PostConstruct
    void meters() {
        journalWait = Timer.builder("gridwatch.alerts.journal.wait")
                .description("Time a transaction that records alert events waits for the journal lock")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

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
        if (transactions.getTransactionKey() == null) {
            // Without a transaction the lock would end with the statement, and commit order with it.
            throw new IllegalStateException("Alert events are recorded only inside a transaction");
        }
        // One round trip, two statements: the second looks once the lock is held, so it sees every
        // transaction that committed before this one.
        long previous;
        long asked = System.nanoTime();
        try (PreparedStatement lock = connection.prepareStatement("""
                SELECT pg_advisory_xact_lock(hashtextextended('gridwatch.alert-journal', 0)), pg_notify(?, ?);
                SELECT coalesce(max(seq), 0) FROM alerting.alert_history""")) {
            lock.setString(1, COMMIT_CHANNEL);
            lock.setString(2, REPLICA);
            lock.execute();
            if (!lock.getMoreResults()) {
                throw new IllegalStateException("The journal's last position was not returned");
            }
            try (ResultSet last = lock.getResultSet()) {
                last.next();
                previous = last.getLong(1);
            }
        }
        journalWait.record(System.nanoTime() - asked, TimeUnit.NANOSECONDS);
        pending.put(connection, new Recording(previous, new ArrayList<>()));
    }

    /** Records the event, to be written by {@link #flush}. */
    void record(Connection connection, Alert alert, AlertEvent event) {
        Recording recording = pending.get(connection);
        if (recording == null) {
            throw new IllegalStateException("Alert event " + event.getType() + " recorded outside begin()/flush()");
        }
        recording.events().add(new Recorded(alert, event));
    }

    /**
     * Writes what was recorded since {@link #begin}, in order, and hands it to this replica's live
     * feed once (and only if) the transaction commits.
     */
    void flush(Connection connection) throws SQLException {
        Recording recording = pending.remove(connection);
        if (recording == null || recording.events().isEmpty()) {
            return;
        }
        List<Recorded> events = recording.events();
        List<Outbox.Entry> entries = new ArrayList<>(events.size());
        for (Recorded recorded : events) {
            entries.add(new Outbox.Entry(Topics.ALERT_EVENTS, recorded.event().getAlertId(),
                    recorded.event().toByteArray()));
        }
        outbox.addAll(connection, entries);
        List<AlertFeed.FeedEvent> feedEvents = new ArrayList<>(events.size());
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO alerting.alert_history (event_id, alert_id, type, actor, occurred_at, state, severity, note,
                    level, detection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"seq", "recorded_at"})) {
            for (Recorded recorded : events) {
                AlertEvent event = recorded.event();
                insert.setObject(1, UUID.fromString(event.getEventId()));
                insert.setObject(2, UUID.fromString(event.getAlertId()));
                insert.setString(3, event.getType().name().substring("TYPE_".length()));
                insert.setString(4, event.getActor());
                insert.setTimestamp(5, Timestamp.from(Timestamps.toInstant(event.getOccurredAt())));
                insert.setString(6, event.getState().name().substring("STATE_".length()));
                insert.setShort(7, (short) event.getSeverityValue());
                insert.setString(8, Rows.emptyToNull(event.getNote()));
                insert.setString(9, recorded.alert().routing().level());
                insert.setString(10, Rows.emptyToNull(event.getDetectionId()));
                insert.addBatch();
            }
            insert.executeBatch();
            try (ResultSet positions = insert.getGeneratedKeys()) {
                for (Recorded recorded : events) {
                    if (!positions.next()) {
                        throw new IllegalStateException("Fewer positions than alert events returned by the history");
                    }
                    feedEvents.add(feedEvent(recorded, positions.getLong(1), positions.getTimestamp(2).toInstant()));
                }
            }
        }
        List<Notifications.Row> rows = new ArrayList<>();
        for (Recorded recorded : events) {
            rows.addAll(notifications.rowsFor(recorded.alert(), recorded.event()));
        }
        notifications.insert(connection, rows);
        AlertFeed.Committed segment = new AlertFeed.Committed(recording.previous(), feedEvents);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    committed.fire(segment);
                }
            }
        });
    }

    /** The event as the live feed shows it, as {@link AlertFeed#after} would read it back. */
    private static AlertFeed.FeedEvent feedEvent(Recorded recorded, long position, Instant recordedAt) {
        AlertEvent event = recorded.event();
        Alert alert = recorded.alert();
        Alert.Place place = alert.place();
        return new AlertFeed.FeedEvent(position, UUID.fromString(event.getEventId()), alert.alertId(),
                event.getType().name().substring("TYPE_".length()), event.getActor(),
                Timestamps.toInstant(event.getOccurredAt()), event.getState().name().substring("STATE_".length()),
                event.getSeverity().name(), Rows.emptyToNull(event.getNote()), alert.kind(), alert.subjectId(),
                place.districtId(), place.streetId(), place.communityId(), place.gridId(), place.buildingId(),
                place.unitId(), alert.routing().level(), alert.summary(), alert.groupId(), recordedAt);
    }

    /** Forgets what a failed transaction recorded. */
    void discard(Connection connection) {
        pending.remove(connection);
    }
}
