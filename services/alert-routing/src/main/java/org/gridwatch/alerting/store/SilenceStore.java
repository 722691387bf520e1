package org.gridwatch.alerting.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.domain.Silence;
import org.gridwatch.plumbing.api.Refusal;
import org.gridwatch.plumbing.sql.Rows;
import org.jdbi.v3.core.Jdbi;

/** Silences and maintenance windows: create, list, expire; and the rule that says which alerts they cover. */
@ApplicationScoped
public class SilenceStore {

    private static final String COLUMNS = "silence_id, area_id, kind, device_id, starts_at, ends_at, reason, "
            + "created_by, created_at, expired_at, expired_by, " + active("silence", ":now::timestamptz") + " AS active";

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    /** SQL that is true while the silence (table alias {@code s}) is in force at {@code at} (SQL of a time). */
    static String active(String s, String at) {
        return "(%1$s.starts_at <= %2$s AND %2$s < %1$s.ends_at AND (%1$s.expired_at IS NULL OR %2$s < %1$s.expired_at))"
                .formatted(s, at);
    }

    /**
     * SQL that is true when the silence (alias {@code s}) is in force at {@code at} and matches the
     * alert (alias {@code a}): every matcher that is set holds; an area matches at any level.
     */
    static String covers(String s, String a, String at) {
        return active(s, at) + """
                 AND (%1$s.area_id IS NULL OR %1$s.area_id IN (%2$s.district_id, %2$s.street_id, %2$s.community_id,
                     %2$s.grid_id, %2$s.building_id, %2$s.unit_id))
                 AND (%1$s.kind IS NULL OR %1$s.kind = %2$s.kind)
                 AND (%1$s.device_id IS NULL OR %1$s.device_id = %2$s.device_id OR %1$s.device_id = %2$s.subject_id)"""
                .formatted(s, a);
    }

    @Transactional(rollbackOn = Exception.class)
    public Silence create(String areaId, String kind, String deviceId, Instant startsAt, Instant endsAt, String reason,
                          String createdBy) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        INSERT INTO alerting.silence (silence_id, area_id, kind, device_id, starts_at, ends_at, reason,
                            created_by, created_at)
                        VALUES (:id, :areaId, :kind, :deviceId, :startsAt, :endsAt, :reason, :createdBy, :now)
                        RETURNING %s""".formatted(COLUMNS))
                .bind("id", UUID.randomUUID()).bind("areaId", areaId).bind("kind", kind).bind("deviceId", deviceId)
                .bind("startsAt", startsAt).bind("endsAt", endsAt).bind("reason", reason).bind("createdBy", createdBy)
                .bind("now", clock.instant()).map(SilenceStore::toSilence).one());
    }

    /** Silences, newest first; only those in force now when {@code activeOnly}. */
    public List<Silence> list(boolean activeOnly, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM alerting.silence silence"
                        + " WHERE NOT :activeOnly OR " + active("silence", ":now::timestamptz")
                        + " ORDER BY created_at DESC LIMIT :limit")
                .bind("activeOnly", activeOnly).bind("now", clock.instant()).bind("limit", limit)
                .map(SilenceStore::toSilence).list());
    }

    /** Ends a silence now. Refused for an unknown one or one that has already ended. */
    @Transactional(rollbackOn = Exception.class)
    public Silence expire(UUID silenceId, String actor) {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            Silence silence = handle.createQuery("SELECT " + COLUMNS
                            + " FROM alerting.silence silence WHERE silence_id = :id FOR UPDATE")
                    .bind("id", silenceId).bind("now", now).map(SilenceStore::toSilence).findOne()
                    .orElseThrow(() -> new SilenceNotFoundException(silenceId));
            if (silence.expiredAt() != null || !silence.endsAt().isAfter(now)) {
                throw new AlreadyEndedException("Silence " + silenceId + " has already ended at "
                        + (silence.expiredAt() != null ? silence.expiredAt() + " (expired by " + silence.expiredBy() + ")"
                        : silence.endsAt().toString()));
            }
            return handle.createQuery("""
                            UPDATE alerting.silence SET expired_at = :now, expired_by = :actor WHERE silence_id = :id
                            RETURNING %s""".formatted(COLUMNS))
                    .bind("now", now).bind("actor", actor).bind("id", silenceId).map(SilenceStore::toSilence).one();
        });
    }

    private static Silence toSilence(ResultSet row, org.jdbi.v3.core.statement.StatementContext context)
            throws SQLException {
        return new Silence(row.getObject("silence_id", UUID.class), row.getString("area_id"), row.getString("kind"),
                row.getString("device_id"), Rows.instant(row, "starts_at"), Rows.instant(row, "ends_at"),
                row.getString("reason"), row.getString("created_by"), Rows.instant(row, "created_at"),
                Rows.instant(row, "expired_at"), row.getString("expired_by"), row.getBoolean("active"));
    }

    /** No silence has this id. */
    public static final class SilenceNotFoundException extends Refusal {
        SilenceNotFoundException(UUID silenceId) {
            super(404, "Unknown silence", "No silence " + silenceId);
        }
    }

    /** The silence has already ended (expired by a person or past its end). */
    public static final class AlreadyEndedException extends Refusal {
        AlreadyEndedException(String detail) {
            super(409, "Silence already ended", detail);
        }
    }
}
