package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.domain.Silence;

/** Silences and maintenance windows: create, list, expire; and the rule that says which alerts they cover. */
@ApplicationScoped
public class SilenceStore {

    private static final String COLUMNS = "silence_id, area_id, kind, device_id, starts_at, ends_at, reason, "
            + "created_by, created_at, expired_at, expired_by, " + active("silence", "now()") + " AS active";

    @Inject
    DataSource dataSource;

    /** SQL that is true while the silence (table alias {@code s}) is in force at {@code at}. */
    static String active(String s, String at) {
        return "(%1$s.starts_at <= %2$s AND %2$s < %1$s.ends_at AND (%1$s.expired_at IS NULL OR %2$s < %1$s.expired_at))"
                .formatted(s, at);
    }

    /**
     * SQL that is true when the silence (alias {@code s}) is in force now and matches the alert
     * (alias {@code a}): every matcher that is set holds; an area matches at any level.
     */
    static String covers(String s, String a) {
        return active(s, "now()") + """
                 AND (%1$s.area_id IS NULL OR %1$s.area_id IN (%2$s.district_id, %2$s.street_id, %2$s.community_id,
                     %2$s.grid_id, %2$s.building_id, %2$s.unit_id))
                 AND (%1$s.kind IS NULL OR %1$s.kind = %2$s.kind)
                 AND (%1$s.device_id IS NULL OR %1$s.device_id = %2$s.device_id OR %1$s.device_id = %2$s.subject_id)"""
                .formatted(s, a);
    }

    @Transactional
    public Silence create(String areaId, String kind, String deviceId, Instant startsAt, Instant endsAt, String reason,
                          String createdBy) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO alerting.silence (silence_id, area_id, kind, device_id, starts_at, ends_at, reason,
                         created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING %s""".formatted(COLUMNS))) {
            int i = 0;
            insert.setObject(++i, UUID.randomUUID());
            insert.setString(++i, areaId);
            insert.setString(++i, kind);
            insert.setString(++i, deviceId);
            insert.setTimestamp(++i, Timestamp.from(startsAt));
            insert.setTimestamp(++i, Timestamp.from(endsAt));
            insert.setString(++i, reason);
            insert.setString(++i, createdBy);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return toSilence(row);
            }
        }
    }

    /** Silences, newest first; only those in force when {@code activeOnly}. */
    public List<Silence> list(boolean activeOnly, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM alerting.silence"
                + (activeOnly ? " WHERE " + active("silence", "now()") : "") + " ORDER BY created_at DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setInt(1, limit);
            List<Silence> silences = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    silences.add(toSilence(rows));
                }
            }
            return silences;
        }
    }

    /** Ends a silence now. Refused for an unknown one or one that has already ended. */
    @Transactional
    public Silence expire(UUID silenceId, String actor) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Silence silence;
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM alerting.silence WHERE silence_id = ? FOR UPDATE")) {
                lock.setObject(1, silenceId);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        throw new NotFoundException("No silence " + silenceId);
                    }
                    silence = toSilence(row);
                }
            }
            if (silence.expiredAt() != null || !silence.endsAt().isAfter(Instant.now())) {
                throw new AlreadyEndedException("Silence " + silenceId + " has already ended at "
                        + (silence.expiredAt() != null ? silence.expiredAt() + " (expired by " + silence.expiredBy() + ")"
                        : silence.endsAt().toString()));
            }
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE alerting.silence SET expired_at = now(), expired_by = ? WHERE silence_id = ?
                    RETURNING %s""".formatted(COLUMNS))) {
                update.setString(1, actor);
                update.setObject(2, silenceId);
                try (ResultSet row = update.executeQuery()) {
                    row.next();
                    return toSilence(row);
                }
            }
        }
    }

    private static Silence toSilence(ResultSet row) throws SQLException {
        return new Silence(row.getObject("silence_id", UUID.class), row.getString("area_id"), row.getString("kind"),
                row.getString("device_id"), instant(row, "starts_at"), instant(row, "ends_at"), row.getString("reason"),
                row.getString("created_by"), instant(row, "created_at"), instant(row, "expired_at"),
                row.getString("expired_by"), row.getBoolean("active"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** No silence has this id. */
    public static final class NotFoundException extends RuntimeException {
        NotFoundException(String message) {
            super(message);
        }
    }

    /** The silence has already ended (expired by a person or past its end). */
    public static final class AlreadyEndedException extends RuntimeException {
        AlreadyEndedException(String message) {
            super(message);
        }
    }
}
