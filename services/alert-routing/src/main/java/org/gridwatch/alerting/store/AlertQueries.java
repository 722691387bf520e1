package org.gridwatch.alerting.store;

import static org.gridwatch.alerting.store.AlertRows.COLUMNS;
import static org.gridwatch.plumbing.sql.Rows.instant;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.AlertGroup;
import org.gridwatch.alerting.domain.AlertState;
import org.gridwatch.contract.v1.Severity;
import org.jdbi.v3.core.Jdbi;

/** Alerts as the API reads them: lists a page at a time, one alert, its history, its detections, groups. */
@ApplicationScoped
public class AlertQueries {

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    /** One change of an alert as its history shows it. */
    public record HistoryEntry(UUID eventId, String type, String actor, Instant occurredAt, String state,
                               String severity, String note) {
    }

    /** A detection as applied to an alert: its id (as on the detections topic), what it did, and its time. */
    public record AppliedDetection(String detectionId, String effect, Instant detectedAt) {
    }

    /** What a list is filtered by; null for any. {@code areaId} matches any level of an alert's place. */
    public record Filter(AlertState state, String kind, String gridId, String areaId) {

        public static final Filter ALL = new Filter(null, null, null, null);
    }

    /** Alerts, newest first; a page ends at the last alert's openedAt, and {@code openedBefore} starts the next one there. */
    public List<Alert> list(Filter filter, Instant openedBefore, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT %s FROM alerting.alert
                        WHERE (:state::text IS NULL OR state = :state)
                          AND (:kind::text IS NULL OR kind = :kind)
                          AND (:gridId::text IS NULL OR grid_id = :gridId)
                          AND (:areaId::text IS NULL OR :areaId IN (district_id, street_id, community_id, grid_id,
                               building_id, unit_id))
                          AND (:openedBefore::timestamptz IS NULL OR opened_at < :openedBefore)
                        ORDER BY opened_at DESC LIMIT :limit""".formatted(COLUMNS))
                .bind("state", filter.state() == null ? null : filter.state().name()).bind("kind", filter.kind())
                .bind("gridId", filter.gridId()).bind("areaId", filter.areaId()).bind("openedBefore", openedBefore)
                .bind("limit", limit).bind("now", clock.instant())
                .map(AlertRows.ALERT).list());
    }

    public Optional<Alert> get(UUID alertId) {
        return jdbi.withHandle(handle -> AlertRows.find(handle, alertId, false, clock.instant()));
    }

    /** Groups of related alerts, latest first; under {@code areaId} at any level and of {@code kind} when given. */
    public List<AlertGroup> groups(String kind, String areaId, boolean activeOnly, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT g.group_id, g.kind, g.area_id, g.first_opened_at, g.last_opened_at, g.alert_count,
                               count(*) FILTER (WHERE a.state <> 'RESOLVED') AS active, max(a.severity) AS severity,
                               array_agg(a.alert_id ORDER BY a.created_at DESC) AS alert_ids
                        FROM alerting.alert_group g JOIN alerting.alert a ON a.group_id = g.group_id
                        WHERE (:kind::text IS NULL OR g.kind = :kind)
                          AND (:areaId::text IS NULL OR g.group_id IN (SELECT group_id FROM alerting.alert
                               WHERE group_id IS NOT NULL
                                 AND :areaId IN (district_id, street_id, community_id, grid_id, building_id, unit_id)))
                        GROUP BY g.group_id
                        HAVING NOT :activeOnly OR count(*) FILTER (WHERE a.state <> 'RESOLVED') > 0
                        ORDER BY g.last_opened_at DESC LIMIT :limit""")
                .bind("kind", kind).bind("areaId", areaId).bind("activeOnly", activeOnly).bind("limit", limit)
                .map((rows, context) -> new AlertGroup(rows.getObject("group_id", UUID.class), rows.getString("kind"),
                        rows.getString("area_id"), instant(rows, "first_opened_at"), instant(rows, "last_opened_at"),
                        rows.getInt("alert_count"), rows.getInt("active"),
                        Severity.forNumber(rows.getShort("severity")).name(),
                        List.of((UUID[]) rows.getArray("alert_ids").getArray())))
                .list());
    }

    /** An alert's changes, oldest first; empty for an unknown alert. */
    public List<HistoryEntry> history(UUID alertId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT event_id, type, actor, occurred_at, state, severity, note FROM alerting.alert_history
                        WHERE alert_id = :id ORDER BY seq""")
                .bind("id", alertId)
                .map((rows, context) -> new HistoryEntry(rows.getObject("event_id", UUID.class), rows.getString("type"),
                        rows.getString("actor"), instant(rows, "occurred_at"), rows.getString("state"),
                        Severity.forNumber(rows.getShort("severity")).name(), rows.getString("note")))
                .list());
    }

    /** The detections applied to an alert, oldest first, with what each did (OPENED, REPEATED, RESOLVED...). */
    public List<AppliedDetection> detections(UUID alertId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT detection_id, type, occurred_at FROM alerting.alert_history
                        WHERE alert_id = :id AND detection_id IS NOT NULL ORDER BY seq""")
                .bind("id", alertId)
                .map((rows, context) -> new AppliedDetection(rows.getString(1), rows.getString(2),
                        instant(rows, "occurred_at")))
                .list());
    }

    /**
     * The evidence of the latest detection applied to the alert, as detection sent it (protobuf
     * JSON of {@code gridwatch.v1.Evidence}: rule id and version, the thresholds in force, the
     * readings that tripped it); "{}" when there was none.
     */
    public String evidence(UUID alertId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT evidence::text FROM alerting.alert WHERE alert_id = :id")
                .bind("id", alertId).mapTo(String.class).findOne().orElse(null));
    }
}
