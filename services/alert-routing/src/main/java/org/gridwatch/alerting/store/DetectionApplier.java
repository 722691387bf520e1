package org.gridwatch.alerting.store;

import static org.gridwatch.alerting.store.AlertRows.COLUMNS;
import static org.gridwatch.alerting.store.AlertRows.COLUMNS_AT;
import static org.gridwatch.alerting.store.AlertRows.event;
import static org.gridwatch.alerting.store.AlertRows.toAlert;
import static org.gridwatch.plumbing.sql.Rows.emptyToNull;
import static org.gridwatch.plumbing.sql.Rows.instant;
import static org.gridwatch.plumbing.sql.Rows.nullToEmpty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.OpeningRoute;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies detections to alerts, a Kafka batch per transaction: a raised detection opens the alert
 * of its subject and kind or counts one more on the one open; a cleared one resolves it. Every
 * change is an alert event, written with it ({@link AlertJournal}); a detection applied before (a
 * redelivery) changes nothing. The batch commits whole or not at all: any failure rolls it back,
 * and the retry applies it once.
 */
@ApplicationScoped
public class DetectionApplier {

    @Inject
    Jdbi jdbi;

    @Inject
    AlertJournal journal;

    @Inject
    AlertRouting routing;

    @Inject
    AlertingConfig config;

    @Inject
    Clock clock;

    /** A detection with where its subject is and the gateway its device reports through ("" when unknown). */
    public record Placed(Detection detection, Location location, String gatewayId) {
    }

    /** Returns the event the detection caused, or empty when it changed nothing (a redelivery, or a clear with no alert). */
    @Transactional(rollbackOn = Exception.class)
    public Optional<AlertEvent> apply(Detection detection, Location location) throws SQLException {
        return applyAll(List.of(new Placed(detection, location, ""))).get(0);
    }

    /**
     * Applies detections in order in one transaction (a Kafka batch: one commit, one journal
     * lock); returns for each the event it caused, or empty when it changed nothing.
     */
    @Transactional(rollbackOn = Exception.class)
    public List<Optional<AlertEvent>> applyAll(List<Placed> detections) throws SQLException {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            Connection connection = handle.getConnection();
            journal.begin(connection);
            try {
                Seen seen = lookUp(connection, detections);
                List<Placed> firsts = new ArrayList<>(detections.size());
                for (Placed placed : detections) {
                    // A redelivered detection, or the same one twice in a batch, changes nothing.
                    firsts.add(seen.fresh().remove(placed.detection().getDetectionId()) ? placed : null);
                }
                // Repeats of open alerts (most of a busy stream) in one round trip, the rest in order.
                Set<String> repeating = repeating(firsts, seen.open());
                List<Placed> repeats = firsts.stream()
                        .filter(p -> p != null && repeating.contains(alertKey(p.detection()))).toList();
                Iterator<AlertEvent> repeated = repeat(connection, repeats, now).iterator();
                List<Optional<AlertEvent>> events = new ArrayList<>(detections.size());
                for (Placed placed : firsts) {
                    events.add(placed == null ? Optional.empty()
                            : repeating.contains(alertKey(placed.detection())) ? Optional.of(repeated.next())
                            : applyOne(handle, placed, now));
                }
                journal.flush(connection);
                return events;
            } finally {
                journal.discard(connection);
            }
        });
    }

    /**
     * The subjects and kinds of the batch whose alert is open and that the batch only raises (no
     * clear among them, which would end the alert and let a later detection open another). The
     * journal lock keeps every other change of alerts out until commit, so they stay open.
     */
    private static Set<String> repeating(List<Placed> detections, Set<String> open) {
        Set<String> raisedOnly = new HashSet<>();
        Set<String> cleared = new HashSet<>();
        for (Placed placed : detections) {
            if (placed != null) {
                (placed.detection().getPhase() == Detection.Phase.CLEARED ? cleared : raisedOnly)
                        .add(alertKey(placed.detection()));
            }
        }
        raisedOnly.removeAll(cleared);
        raisedOnly.retainAll(open);
        return raisedOnly;
    }

    /** Which detections of a batch are new, and which of the subjects and kinds it raises have an open alert. */
    private record Seen(Set<String> fresh, Set<String> open) {
    }

    /**
     * Marks the detections seen and looks up the open alerts of those that raise, in one round
     * trip (two statements).
     */
    private static Seen lookUp(Connection connection, List<Placed> detections) throws SQLException {
        List<String> ids = new ArrayList<>(detections.size());
        List<String> subjects = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (Placed placed : detections) {
            ids.add(placed.detection().getDetectionId());
            if (placed.detection().getPhase() != Detection.Phase.CLEARED) {
                subjects.add(placed.detection().getSubjectId());
                kinds.add(placed.detection().getKind());
            }
        }
        try (PreparedStatement query = connection.prepareStatement("""
                INSERT INTO alerting.processed_detection (detection_id) SELECT unnest(?::text[])
                ON CONFLICT DO NOTHING RETURNING detection_id;
                SELECT subject_id, kind FROM alerting.alert
                WHERE (subject_id, kind) IN (SELECT * FROM unnest(?::text[], ?::text[])) AND state <> 'RESOLVED'""")) {
            query.setArray(1, connection.createArrayOf("text", ids.toArray()));
            query.setArray(2, connection.createArrayOf("text", subjects.toArray()));
            query.setArray(3, connection.createArrayOf("text", kinds.toArray()));
            query.execute();
            Set<String> fresh = new HashSet<>();
            try (ResultSet rows = query.getResultSet()) {
                while (rows.next()) {
                    fresh.add(rows.getString(1));
                }
            }
            if (!query.getMoreResults()) {
                throw new IllegalStateException("The open alerts of the batch were not returned");
            }
            Set<String> open = new HashSet<>();
            try (ResultSet rows = query.getResultSet()) {
                while (rows.next()) {
                    open.add(alertKey(rows.getString(1), rows.getString(2)));
                }
            }
            return new Seen(fresh, open);
        }
    }

    private static String alertKey(Detection detection) {
        return alertKey(detection.getSubjectId(), detection.getKind());
    }

    /** The subject and kind that have at most one active alert, as one key. */
    private static String alertKey(String subjectId, String kind) {
        return subjectId + '\u0000' + kind;
    }

    private Optional<AlertEvent> applyOne(Handle handle, Placed placed, Instant now) throws SQLException {
        Detection detection = placed.detection();
        return detection.getPhase() == Detection.Phase.CLEARED
                ? resolve(handle, detection, now)
                : Optional.of(raise(handle, detection, placed.location(), placed.gatewayId(), now));
    }

    /**
     * Opens the alert of the detection's subject and kind, or counts one more on the one open;
     * returns the alert with {@code inserted} and the severity before it ({@code prior_severity}).
     */
    private static final String RAISE = """
            WITH prior AS (
                SELECT severity FROM alerting.alert WHERE subject_id = :subjectId AND kind = :kind AND state <> 'RESOLVED')
            INSERT INTO alerting.alert (alert_id, subject_id, kind, state, severity, device_id, district_id,
                street_id, community_id, grid_id, building_id, unit_id, summary, repeat_count, first_seen,
                last_seen, opened_at, last_detection_id, evidence, gateway_id, created_at)
            VALUES (:alertId, :subjectId, :kind, 'OPEN', :severity, :deviceId, :districtId, :streetId, :communityId,
                :gridId, :buildingId, :unitId, :summary, 1, :firstSeen, :detectedAt, :detectedAt, :detectionId,
                :evidence::jsonb, :gatewayId, :now)
            ON CONFLICT (subject_id, kind) WHERE state <> 'RESOLVED' DO UPDATE SET
                repeat_count = alert.repeat_count + 1,
                last_seen = GREATEST(alert.last_seen, EXCLUDED.last_seen),
                severity = GREATEST(alert.severity, EXCLUDED.severity),
                summary = EXCLUDED.summary,
                last_detection_id = EXCLUDED.last_detection_id,
                evidence = EXCLUDED.evidence
            RETURNING %s, (xmax = 0) AS inserted, (SELECT severity FROM prior) AS prior_severity
            """.formatted(COLUMNS);

    /** What a {@link #RAISE} did: the alert as it now is, and whether it opened, rose in severity or repeated. */
    private record Raised(Alert alert, AlertEvent.Type type) {
    }

    private AlertEvent raise(Handle handle, Detection detection, Location location, String gatewayId, Instant now)
            throws SQLException {
        Instant detectedAt = Timestamps.toInstant(detection.getDetectedAt());
        Raised raised = handle.createQuery(RAISE)
                .bind("alertId", UUID.randomUUID()).bind("subjectId", detection.getSubjectId())
                .bind("kind", detection.getKind()).bind("severity", (short) severityOf(detection))
                .bind("deviceId", detection.getDeviceId())
                .bind("districtId", emptyToNull(location.getDistrictId()))
                .bind("streetId", emptyToNull(location.getStreetId()))
                .bind("communityId", emptyToNull(location.getCommunityId()))
                .bind("gridId", emptyToNull(location.getGridId()))
                .bind("buildingId", emptyToNull(location.getBuildingId()))
                .bind("unitId", emptyToNull(location.getUnitId()))
                .bind("summary", detection.getSummary())
                .bind("firstSeen", detection.hasConditionSince()
                        ? Timestamps.toInstant(detection.getConditionSince()) : detectedAt)
                .bind("detectedAt", detectedAt).bind("detectionId", detection.getDetectionId())
                .bind("evidence", ProtoJson.toJson(detection.getEvidence())).bind("gatewayId", emptyToNull(gatewayId))
                .bind("now", now)
                .map((row, context) -> new Raised(toAlert(row), raised(row))).one();
        Alert alert = raised.alert();
        if (raised.type() == AlertEvent.Type.TYPE_OPENED) {
            AlertRouting.Routed routed = routing.route(handle, alert, now);
            if (routed.route().storm()) {
                summarize(handle, alert, routed.alertsInWindow(), now);
            }
            alert = AlertRows.find(handle, alert.alertId(), false, now).orElseThrow();
        }
        return recordRaised(handle.getConnection(), detection, alert, raised.type());
    }

    /** What a {@link #RAISE} row did: opened the alert, raised its severity, or counted a repeat. */
    private static AlertEvent.Type raised(ResultSet row) throws SQLException {
        if (row.getBoolean("inserted")) {
            return AlertEvent.Type.TYPE_OPENED;
        }
        short prior = row.getShort("prior_severity");
        return !row.wasNull() && prior < row.getShort("severity") ? AlertEvent.Type.TYPE_SEVERITY_CHANGED
                : AlertEvent.Type.TYPE_REPEATED;
    }

    /**
     * Counts a batch's detections of alerts already open in one statement, a row per alert (its
     * detections in the batch counted together), and returns each alert as it now is with the
     * severity and last seen it had before. One statement instead of one per detection: measured,
     * the per-detection statements were half of a batch's time.
     */
    private static final String REPEAT = """
            WITH input (in_subject_id, in_kind, in_count, in_severity, in_last_seen, in_summary, in_detection_id,
                        in_evidence) AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::smallint[], ?::timestamptz[], ?::text[],
                                     ?::text[], ?::jsonb[])),
            prior (prior_id, prior_severity, prior_last_seen) AS (
                SELECT a.alert_id, a.severity, a.last_seen FROM alerting.alert a JOIN input
                    ON a.subject_id = in_subject_id AND a.kind = in_kind AND a.state <> 'RESOLVED')
            UPDATE alerting.alert SET
                repeat_count = alert.repeat_count + in_count,
                last_seen = GREATEST(alert.last_seen, in_last_seen),
                severity = GREATEST(alert.severity, in_severity),
                summary = in_summary,
                last_detection_id = in_detection_id,
                evidence = in_evidence
            FROM input, prior
            WHERE alert.subject_id = in_subject_id AND alert.kind = in_kind AND alert.state <> 'RESOLVED'
                AND prior_id = alert.alert_id
            RETURNING %s, prior_severity, prior_last_seen
            """.formatted(COLUMNS_AT);

    /**
     * Counts detections of alerts already open (and not cleared in the same batch) in one round
     * trip ({@link #REPEAT}); each detection still gets its own event, with the alert as that
     * detection left it (its repeat count, severity and last seen at that point), as if they had
     * been applied one by one.
     */
    private List<AlertEvent> repeat(Connection connection, List<Placed> repeats, Instant now) throws SQLException {
        List<AlertEvent> events = new ArrayList<>(repeats.size());
        if (repeats.isEmpty()) {
            return events;
        }
        Map<String, List<Detection>> byAlert = new LinkedHashMap<>();
        for (Placed placed : repeats) {
            byAlert.computeIfAbsent(alertKey(placed.detection()), key -> new ArrayList<>()).add(placed.detection());
        }
        int alerts = byAlert.size();
        String[] subjects = new String[alerts];
        String[] kinds = new String[alerts];
        Integer[] counts = new Integer[alerts];
        Integer[] severities = new Integer[alerts];
        String[] lastSeen = new String[alerts];
        String[] summaries = new String[alerts];
        String[] detectionIds = new String[alerts];
        String[] evidence = new String[alerts];
        int i = 0;
        for (List<Detection> detections : byAlert.values()) {
            Detection last = detections.get(detections.size() - 1);
            subjects[i] = last.getSubjectId();
            kinds[i] = last.getKind();
            counts[i] = detections.size();
            severities[i] = detections.stream().mapToInt(DetectionApplier::severityOf).max().orElseThrow();
            // As text (ISO-8601, in UTC): a java.sql.Timestamp in an array would be read in the session's time zone.
            lastSeen[i] = detections.stream().map(d -> Timestamps.toInstant(d.getDetectedAt()))
                    .max(Instant::compareTo).orElseThrow().toString();
            summaries[i] = last.getSummary();
            detectionIds[i] = last.getDetectionId();
            evidence[i] = ProtoJson.toJson(last.getEvidence());
            i++;
        }
        Map<String, Alert> before = new HashMap<>();
        try (PreparedStatement update = connection.prepareStatement(REPEAT)) {
            update.setArray(1, connection.createArrayOf("text", subjects));
            update.setArray(2, connection.createArrayOf("text", kinds));
            update.setArray(3, connection.createArrayOf("int4", counts));
            update.setArray(4, connection.createArrayOf("int4", severities));
            update.setArray(5, connection.createArrayOf("text", lastSeen));
            update.setArray(6, connection.createArrayOf("text", summaries));
            update.setArray(7, connection.createArrayOf("text", detectionIds));
            update.setArray(8, connection.createArrayOf("text", evidence));
            update.setTimestamp(9, Timestamp.from(now));
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    Alert after = toAlert(rows);
                    String key = alertKey(after.subjectId(), after.kind());
                    before.put(key, counted(after, after.repeatCount() - byAlert.get(key).size(),
                            Severity.forNumber(rows.getShort("prior_severity")).name(), instant(rows, "prior_last_seen"),
                            after.summary(), after.lastDetectionId()));
                }
            }
        }
        if (before.size() != alerts) {
            // Only this transaction changes alerts (journal lock), and the look-up found them all open.
            throw new IllegalStateException("Counted " + before.size() + " of the batch's " + alerts + " open alerts");
        }
        for (Placed placed : repeats) {
            Detection detection = placed.detection();
            String key = alertKey(detection);
            Alert prior = before.get(key);
            int severity = Math.max(Severity.valueOf(prior.severity()).getNumber(), severityOf(detection));
            Instant detectedAt = Timestamps.toInstant(detection.getDetectedAt());
            Alert alert = counted(prior, prior.repeatCount() + 1, Severity.forNumber(severity).name(),
                    detectedAt.isAfter(prior.lastSeen()) ? detectedAt : prior.lastSeen(), detection.getSummary(),
                    detection.getDetectionId());
            before.put(key, alert);
            AlertEvent.Type type = alert.severity().equals(prior.severity()) ? AlertEvent.Type.TYPE_REPEATED
                    : AlertEvent.Type.TYPE_SEVERITY_CHANGED;
            events.add(recordRaised(connection, detection, alert, type));
        }
        return events;
    }

    /** The severity a detection gives its alert (at least INFO). */
    private static int severityOf(Detection detection) {
        return Math.max(detection.getSeverityValue(), Severity.INFO_VALUE);
    }

    /** The alert with the count, severity, last seen and latest detection it had at some point of a batch. */
    private static Alert counted(Alert a, int repeatCount, String severity, Instant lastSeen, String summary,
                                 String lastDetectionId) {
        return new Alert(a.alertId(), a.subjectId(), a.kind(), a.state(), severity, a.deviceId(), a.place(), summary,
                repeatCount, a.firstSeen(), lastSeen, a.openedAt(), a.resolvedAt(), a.resolvedBy(), lastDetectionId,
                a.acknowledgedAt(), a.acknowledgedBy(), a.assignee(), a.resolutionNote(), a.silencedBy(),
                a.gatewayId(), a.inhibitedBy(), a.routing(), a.groupId(), a.summarizedBy(), a.taskId());
    }

    private AlertEvent recordRaised(Connection connection, Detection detection, Alert alert, AlertEvent.Type type) {
        AlertEvent event = event(type, alert, Timestamps.toInstant(detection.getDetectedAt()), AlertJournal.SYSTEM_ACTOR,
                detection.getDetectionId(), "");
        journal.record(connection, alert, event);
        return event;
    }

    /**
     * The alert's community is in a storm: the community's summary alert opens (or counts one
     * more) and speaks for this one, which stays recorded and shown but is not told on its own.
     */
    private void summarize(Handle handle, Alert alert, int alertsInWindow, Instant now) throws SQLException {
        Alert.Place place = alert.place();
        Detection storm = Detection.newBuilder().setDetectionId("storm:" + alert.alertId())
                .setPhase(Detection.Phase.RAISED).setKind(OpeningRoute.STORM_KIND)
                .setSeverity(Severity.valueOf(alert.severity())).setSubjectId("storm:" + place.communityId())
                .setDetectedAt(Timestamps.of(now))
                .setSummary("Alert storm in %s: %d alerts within %d min; told as this one summary, the alerts it "
                        .formatted(place.communityId(), alertsInWindow, config.storm().window().toMinutes())
                        + "stands for are listed with summarizedBy")
                .build();
        Location community = Location.newBuilder().setDistrictId(nullToEmpty(place.districtId()))
                .setStreetId(nullToEmpty(place.streetId())).setCommunityId(place.communityId()).build();
        AlertEvent summary = raise(handle, storm, community, "", now);
        handle.createUpdate("UPDATE alerting.alert SET summarized_by = :summary WHERE alert_id = :id")
                .bind("summary", UUID.fromString(summary.getAlertId())).bind("id", alert.alertId()).execute();
    }

    private Optional<AlertEvent> resolve(Handle handle, Detection detection, Instant now) {
        Instant at = Timestamps.toInstant(detection.getDetectedAt());
        return handle.createQuery("""
                        UPDATE alerting.alert SET state = 'RESOLVED', resolved_at = :at, resolved_by = 'system:auto-clear',
                            last_detection_id = :detectionId, next_escalation_at = NULL
                        WHERE subject_id = :subjectId AND kind = :kind AND state <> 'RESOLVED'
                        RETURNING %s""".formatted(COLUMNS))
                .bind("at", at).bind("detectionId", detection.getDetectionId())
                .bind("subjectId", detection.getSubjectId()).bind("kind", detection.getKind()).bind("now", now)
                .map(AlertRows.ALERT).findOne()
                .map(alert -> {
                    AlertEvent event = event(AlertEvent.Type.TYPE_RESOLVED, alert, at, AlertJournal.SYSTEM_ACTOR,
                            detection.getDetectionId(), detection.getSummary());
                    journal.record(handle.getConnection(), alert, event);
                    return event;
                });
    }
}
