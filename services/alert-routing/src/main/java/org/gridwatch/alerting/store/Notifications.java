package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.Level;
import org.gridwatch.alerting.domain.Notification;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.plumbing.sql.Rows;
import org.jdbi.v3.core.Jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The notifications table: what is to be told to whom, written with the alert event that calls
 * for it; leased by a sender, then marked sent, retried later or failed. A sender that dies
 * holding a lease leaves the notification to be taken again when the lease ends, so each is sent
 * at least once, always under the same id.
 */
@ApplicationScoped
public class Notifications {

    /** What a channel receives: the notification's id (the same on every attempt), why, to which level and area, and the alert. */
    public record Message(UUID notificationId, UUID eventId, String reason, String level, String areaId,
                          String channelId, Instant createdAt, Alert alert) {
    }

    /** A notification a sender holds until its lease ends. */
    public record Leased(UUID notificationId, String channelId, String body, int attempts) {
    }

    /** Notified (at commit) by a transaction that wrote notifications, to wake the dispatchers. */
    public static final String CHANNEL = "gridwatch_alert_notifications";

    private static final String COLUMNS = "notification_id, alert_id, event_id, channel_id, reason, level, area_id, "
            + "state, attempts, last_error, created_at, next_attempt_at, sent_at";

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    /** A notification to insert. */
    record Row(UUID notificationId, UUID alertId, UUID eventId, String channelId, String reason, String level,
               String areaId, String payload, Instant createdAt) {
    }

    /**
     * The notifications an alert event calls for, one per channel of the alert's policy: when it
     * opens (unless something covers it), escalates or reminds; and, once someone has been told,
     * when it is acknowledged or resolved, so nobody keeps running for a finished alert.
     */
    List<Row> rowsFor(Alert alert, AlertEvent event) {
        String reason = switch (event.getType()) {
            case TYPE_OPENED, TYPE_ESCALATED, TYPE_REMINDED, TYPE_ACKNOWLEDGED, TYPE_RESOLVED ->
                    event.getType().name().substring("TYPE_".length());
            default -> null;
        };
        Level level = Level.parse(alert.routing().notifiedLevel()).orElse(null);
        if (reason == null || level == null || alert.routing().channels().isEmpty()) {
            return List.of();
        }
        String areaId = level.areaOf(alert.place());
        List<Row> rows = new ArrayList<>();
        for (String channel : alert.routing().channels()) {
            UUID id = UUID.randomUUID();
            Message message = new Message(id, UUID.fromString(event.getEventId()), reason, level.id(), areaId,
                    channel, clock.instant(), alert);
            rows.add(new Row(id, alert.alertId(), message.eventId(), channel, reason, level.id(), areaId,
                    toJson(message), message.createdAt()));
        }
        return rows;
    }

    /** Inserts the rows in the caller's transaction and wakes the dispatchers when it commits. */
    void insert(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO alerting.notification (notification_id, alert_id, event_id, channel_id, reason, level,
                    area_id, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (event_id, channel_id) DO NOTHING""")) {
            for (Row row : rows) {
                int i = 0;
                insert.setObject(++i, row.notificationId());
                insert.setObject(++i, row.alertId());
                insert.setObject(++i, row.eventId());
                insert.setString(++i, row.channelId());
                insert.setString(++i, row.reason());
                insert.setString(++i, row.level());
                insert.setString(++i, row.areaId());
                insert.setString(++i, row.payload());
                insert.setTimestamp(++i, Timestamp.from(row.createdAt()));
                insert.setTimestamp(++i, Timestamp.from(row.createdAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            notify.setString(1, CHANNEL);
            notify.execute();
        }
    }

    /** Takes up to {@code limit} due notifications for {@code lease}; another replica skips them meanwhile. */
    public List<Leased> lease(int limit, Duration lease) {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> handle.createQuery("""
                        UPDATE alerting.notification n SET next_attempt_at = :leasedUntil, attempts = n.attempts + 1
                        FROM (SELECT notification_id FROM alerting.notification
                              WHERE state = 'PENDING' AND next_attempt_at <= :now
                              ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED) due
                        WHERE n.notification_id = due.notification_id
                        RETURNING n.notification_id, n.channel_id, n.payload::text AS body, n.attempts""")
                .bind("leasedUntil", now.plus(lease)).bind("now", now).bind("limit", limit)
                .map((rows, context) -> new Leased(rows.getObject("notification_id", UUID.class),
                        rows.getString("channel_id"), rows.getString("body"), rows.getInt("attempts")))
                .list());
    }

    public void sent(UUID notificationId) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE alerting.notification SET state = 'SENT', sent_at = :now, last_error = NULL
                        WHERE notification_id = :id AND state = 'PENDING'""")
                .bind("now", clock.instant()).bind("id", notificationId).execute());
    }

    public void retryLater(UUID notificationId, String error, Duration delay) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE alerting.notification SET next_attempt_at = :next, last_error = :error
                        WHERE notification_id = :id AND state = 'PENDING'""")
                .bind("next", clock.instant().plus(delay)).bind("error", error).bind("id", notificationId).execute());
    }

    public void failed(UUID notificationId, String error) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE alerting.notification SET state = 'FAILED', last_error = :error
                        WHERE notification_id = :id AND state = 'PENDING'""")
                .bind("error", error).bind("id", notificationId).execute());
    }

    /** An alert's notifications, oldest first. */
    public List<Notification> forAlert(UUID alertId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM alerting.notification WHERE alert_id = :id ORDER BY created_at, channel_id")
                .bind("id", alertId)
                .map((rows, context) -> new Notification(rows.getObject("notification_id", UUID.class),
                        rows.getObject("alert_id", UUID.class), rows.getObject("event_id", UUID.class),
                        rows.getString("channel_id"), rows.getString("reason"), rows.getString("level"),
                        rows.getString("area_id"), rows.getString("state"), rows.getInt("attempts"),
                        rows.getString("last_error"), Rows.instant(rows, "created_at"),
                        Rows.instant(rows, "next_attempt_at"), Rows.instant(rows, "sent_at")))
                .list());
    }

    private String toJson(Message message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write notification " + message.notificationId(), e);
        }
    }
}
