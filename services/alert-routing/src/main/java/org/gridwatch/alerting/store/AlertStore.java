package org.gridwatch.alerting.store;

import static org.gridwatch.alerting.store.AlertRows.COLUMNS;
import static org.gridwatch.alerting.store.AlertRows.emptyToNull;
import static org.gridwatch.alerting.store.AlertRows.event;
import static org.gridwatch.alerting.store.AlertRows.instant;
import static org.gridwatch.alerting.store.AlertRows.nullToEmpty;
import static org.gridwatch.alerting.store.AlertRows.toAlert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.AlertGroup;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;

/**
 * Applies detections to alerts in one transaction each, and writes the resulting alert event to
 * the outbox in the same transaction.
 */
@ApplicationScoped
public class AlertStore {

    public static final String SCHEMA = "alerting";
    static final String ACTOR = "system:alert-routing";

    @Inject
    DataSource dataSource;

    @Inject
    AlertJournal journal;

    @Inject
    AlertRouting routing;

    @Inject
    AlertingConfig config;

    /** Returns the event the detection caused, or empty when it changed nothing (a redelivery, or a clear with no alert). */
    @Transactional
    public Optional<AlertEvent> apply(Detection detection, Location location) throws SQLException {
        return apply(detection, location, "");
    }

    /** As above, for a detection of a device behind the given gateway (empty when unknown). */
    @Transactional
    public Optional<AlertEvent> apply(Detection detection, Location location, String gatewayId) throws SQLException {
        return applyAll(List.of(new Placed(detection, location, gatewayId))).get(0);
    }

    /** A detection with where its subject is and the gateway its device reports through ("" when unknown). */
    public record Placed(Detection detection, Location location, String gatewayId) {
    }

    /**
     * Applies detections in order in one transaction (a Kafka batch: one commit, one journal
     * lock); returns for each the event it caused, or empty when it changed nothing.
     */
    @Transactional
    public List<Optional<AlertEvent>> applyAll(List<Placed> detections) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
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
                Iterator<AlertEvent> repeated = repeat(connection, repeats).iterator();
                List<Optional<AlertEvent>> events = new ArrayList<>(detections.size());
                for (Placed placed : firsts) {
                    events.add(placed == null ? Optional.empty()
                            : repeating.contains(alertKey(placed.detection())) ? Optional.of(repeated.next())
                            : applyOne(connection, placed));
                }
                journal.flush(connection);
                return events;
            } finally {
                journal.discard(connection);
            }
        }
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
                throw new SQLException("The open alerts of the batch were not returned");
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

    private Optional<AlertEvent> applyOne(Connection connection, Placed placed) throws SQLException {
        Detection detection = placed.detection();
        return detection.getPhase() == Detection.Phase.CLEARED
                ? resolve(connection, detection)
                : raise(connection, detection, placed.location(), placed.gatewayId());
    }

    /** The detections applied to an alert, oldest first, with what each did (OPENED, REPEATED, RESOLVED...). */
    public List<AppliedDetection> detections(UUID alertId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT detection_id, type, occurred_at FROM alerting.alert_history
                     WHERE alert_id = ? AND detection_id IS NOT NULL ORDER BY seq""")) {
            query.setObject(1, alertId);
            List<AppliedDetection> detections = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    detections.add(new AppliedDetection(rows.getString(1), rows.getString(2),
                            instant(rows, "occurred_at")));
                }
            }
            return detections;
        }
    }

    /** A detection as applied to an alert: its id (as on the detections topic), what it did, and its time. */
    public record AppliedDetection(String detectionId, String effect, Instant detectedAt) {
    }

    /**
     * Links the alert to the task grid-dispatch made of it (the first one: a task reopened or
     * reassigned keeps its id). Returns whether the alert exists.
     */
    public boolean linkTask(UUID alertId, String taskId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE alerting.alert SET task_id = coalesce(task_id, ?) WHERE alert_id = ?")) {
            update.setString(1, taskId);
            update.setObject(2, alertId);
            return update.executeUpdate() == 1;
        }
    }

    /**
     * Opens the alert of the detection's subject and kind, or counts one more on the one open;
     * returns the alert with {@code inserted} and the severity before it ({@code prior_severity}).
     */
    private static final String RAISE = """
            WITH prior AS (
                SELECT severity FROM alerting.alert WHERE subject_id = ? AND kind = ? AND state <> 'RESOLVED')
            INSERT INTO alerting.alert (alert_id, subject_id, kind, state, severity, device_id, district_id,
                street_id, community_id, grid_id, building_id, unit_id, summary, repeat_count, first_seen,
                last_seen, opened_at, last_detection_id, evidence, gateway_id)
            VALUES (?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (subject_id, kind) WHERE state <> 'RESOLVED' DO UPDATE SET
                repeat_count = alert.repeat_count + 1,
                last_seen = GREATEST(alert.last_seen, EXCLUDED.last_seen),
                severity = GREATEST(alert.severity, EXCLUDED.severity),
                summary = EXCLUDED.summary,
                last_detection_id = EXCLUDED.last_detection_id,
                evidence = EXCLUDED.evidence
            RETURNING %s, (xmax = 0) AS inserted, (SELECT severity FROM prior) AS prior_severity
            """.formatted(COLUMNS);

    private Optional<AlertEvent> raise(Connection connection, Detection detection, Location location, String gatewayId)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(RAISE)) {
            bindRaise(upsert, detection, location, gatewayId);
            Alert alert;
            AlertEvent.Type type;
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                alert = toAlert(row);
                type = raised(row);
            }
            if (type == AlertEvent.Type.TYPE_OPENED) {
                AlertRouting.Decision decision = routing.route(connection, alert);
                if (decision.storm()) {
                    summarize(connection, alert, decision.alertsInWindow());
                }
                alert = AlertRows.find(connection, alert.alertId(), false).orElseThrow();
            }
            return Optional.of(recordRaised(connection, detection, alert, type));
        }
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
            """.formatted(COLUMNS);

    /**
     * Counts detections of alerts already open (and not cleared in the same batch) in one round
     * trip ({@link #REPEAT}); each detection still gets its own event, with the alert as that
     * detection left it (its repeat count, severity and last seen at that point), as if they had
     * been applied one by one.
     */
    private List<AlertEvent> repeat(Connection connection, List<Placed> repeats) throws SQLException {
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
            severities[i] = detections.stream().mapToInt(AlertStore::severityOf).max().orElseThrow();
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

    private static void bindRaise(PreparedStatement upsert, Detection detection, Location location, String gatewayId)
            throws SQLException {
        Instant seen = detection.hasConditionSince() ? Timestamps.toInstant(detection.getConditionSince())
                : Timestamps.toInstant(detection.getDetectedAt());
        Instant detectedAt = Timestamps.toInstant(detection.getDetectedAt());
        int i = 0;
        upsert.setString(++i, detection.getSubjectId());
        upsert.setString(++i, detection.getKind());
        upsert.setObject(++i, UUID.randomUUID());
        upsert.setString(++i, detection.getSubjectId());
        upsert.setString(++i, detection.getKind());
        upsert.setShort(++i, (short) severityOf(detection));
        upsert.setString(++i, detection.getDeviceId());
        upsert.setString(++i, emptyToNull(location.getDistrictId()));
        upsert.setString(++i, emptyToNull(location.getStreetId()));
        upsert.setString(++i, emptyToNull(location.getCommunityId()));
        upsert.setString(++i, emptyToNull(location.getGridId()));
        upsert.setString(++i, emptyToNull(location.getBuildingId()));
        upsert.setString(++i, emptyToNull(location.getUnitId()));
        upsert.setString(++i, detection.getSummary());
        upsert.setTimestamp(++i, Timestamp.from(seen));
        upsert.setTimestamp(++i, Timestamp.from(detectedAt));
        upsert.setTimestamp(++i, Timestamp.from(detectedAt));
        upsert.setString(++i, detection.getDetectionId());
        upsert.setString(++i, ProtoJson.toJson(detection.getEvidence()));
        upsert.setString(++i, emptyToNull(gatewayId));
    }

    /** What a {@link #RAISE} row did: opened the alert, raised its severity, or counted a repeat. */
    private static AlertEvent.Type raised(ResultSet row) throws SQLException {
        if (row.getBoolean("inserted")) {
            return AlertEvent.Type.TYPE_OPENED;
        }
        short prior = row.getShort("prior_severity");
        return !row.wasNull() && prior < row.getShort("severity") ? AlertEvent.Type.TYPE_SEVERITY_CHANGED : AlertEvent.Type.TYPE_REPEATED;
    }

    private AlertEvent recordRaised(Connection connection, Detection detection, Alert alert, AlertEvent.Type type) {
        AlertEvent event = event(type, alert, Timestamps.toInstant(detection.getDetectedAt()), ACTOR,
                detection.getDetectionId(), "");
        journal.record(connection, alert, event);
        return event;
    }

    /**
     * The alert's community is in a storm: the community's summary alert opens (or counts one
     * more) and speaks for this one, which stays recorded and shown but is not told on its own.
     */
    private void summarize(Connection connection, Alert alert, int alertsInWindow) throws SQLException {
        Alert.Place place = alert.place();
        Detection storm = Detection.newBuilder().setDetectionId("storm:" + alert.alertId())
                .setPhase(Detection.Phase.RAISED).setKind(AlertRouting.STORM_KIND)
                .setSeverity(Severity.valueOf(alert.severity())).setSubjectId("storm:" + place.communityId())
                .setDetectedAt(Timestamps.of(Instant.now()))
                .setSummary("Alert storm in %s: %d alerts within %d min; told as this one summary, the alerts it "
                        .formatted(place.communityId(), alertsInWindow, config.storm().window().toMinutes())
                        + "stands for are listed with summarizedBy")
                .build();
        Location community = Location.newBuilder().setDistrictId(nullToEmpty(place.districtId()))
                .setStreetId(nullToEmpty(place.streetId())).setCommunityId(place.communityId()).build();
        AlertEvent summary = raise(connection, storm, community, "").orElseThrow();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE alerting.alert SET summarized_by = ? WHERE alert_id = ?")) {
            update.setObject(1, UUID.fromString(summary.getAlertId()));
            update.setObject(2, alert.alertId());
            update.executeUpdate();
        }
    }

    private Optional<AlertEvent> resolve(Connection connection, Detection detection) throws SQLException {
        Instant at = Timestamps.toInstant(detection.getDetectedAt());
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE alerting.alert SET state = 'RESOLVED', resolved_at = ?, resolved_by = ?, last_detection_id = ?,
                    next_escalation_at = NULL
                WHERE subject_id = ? AND kind = ? AND state <> 'RESOLVED'
                RETURNING %s""".formatted(COLUMNS))) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setString(2, "system:auto-clear");
            update.setString(3, detection.getDetectionId());
            update.setString(4, detection.getSubjectId());
            update.setString(5, detection.getKind());
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Alert alert = toAlert(row);
                AlertEvent event = event(AlertEvent.Type.TYPE_RESOLVED, alert, at, ACTOR, detection.getDetectionId(),
                        detection.getSummary());
                journal.record(connection, alert, event);
                return Optional.of(event);
            }
        }
    }

    public List<Alert> list(String state, String kind, String gridId, int limit) throws SQLException {
        return list(state, kind, gridId, null, null, limit);
    }

    /**
     * Alerts, newest first. {@code areaId} matches any level of an alert's place; a page ends at
     * the last alert's openedAt, and {@code openedBefore} starts the next page there.
     */
    public List<Alert> list(String state, String kind, String gridId, String areaId, Instant openedBefore, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerting.alert WHERE true");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        if (kind != null) {
            sql.append(" AND kind = ?");
            args.add(kind);
        }
        if (gridId != null) {
            sql.append(" AND grid_id = ?");
            args.add(gridId);
        }
        if (areaId != null) {
            sql.append(" AND ? IN (district_id, street_id, community_id, grid_id, building_id, unit_id)");
            args.add(areaId);
        }
        if (openedBefore != null) {
            sql.append(" AND opened_at < ?");
            args.add(Timestamp.from(openedBefore));
        }
        sql.append(" ORDER BY opened_at DESC LIMIT ?");
        args.add(limit);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                query.setObject(i + 1, args.get(i));
            }
            List<Alert> alerts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    alerts.add(toAlert(rows));
                }
            }
            return alerts;
        }
    }

    /** Groups of related alerts, latest first; under {@code areaId} at any level and of {@code kind} when given. */
    public List<AlertGroup> groups(String kind, String areaId, boolean activeOnly, int limit) throws SQLException {
        String sql = """
                SELECT g.group_id, g.kind, g.area_id, g.first_opened_at, g.last_opened_at, g.alert_count,
                       count(*) FILTER (WHERE a.state <> 'RESOLVED') AS active, max(a.severity) AS severity,
                       array_agg(a.alert_id ORDER BY a.created_at DESC) AS alert_ids
                FROM alerting.alert_group g JOIN alerting.alert a ON a.group_id = g.group_id
                WHERE (?::text IS NULL OR g.kind = ?)
                  AND (?::text IS NULL OR g.group_id IN (SELECT group_id FROM alerting.alert WHERE group_id IS NOT NULL
                       AND ? IN (district_id, street_id, community_id, grid_id, building_id, unit_id)))
                GROUP BY g.group_id
                HAVING NOT ? OR count(*) FILTER (WHERE a.state <> 'RESOLVED') > 0
                ORDER BY g.last_opened_at DESC LIMIT ?""";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 0;
            query.setString(++i, kind);
            query.setString(++i, kind);
            query.setString(++i, areaId);
            query.setString(++i, areaId);
            query.setBoolean(++i, activeOnly);
            query.setInt(++i, limit);
            List<AlertGroup> groups = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    groups.add(new AlertGroup(rows.getObject("group_id", UUID.class), rows.getString("kind"),
                            rows.getString("area_id"), instant(rows, "first_opened_at"),
                            instant(rows, "last_opened_at"), rows.getInt("alert_count"), rows.getInt("active"),
                            Severity.forNumber(rows.getShort("severity")).name(),
                            List.of((UUID[]) rows.getArray("alert_ids").getArray())));
                }
            }
            return groups;
        }
    }

    public Optional<Alert> get(UUID alertId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM alerting.alert WHERE alert_id = ?")) {
            query.setObject(1, alertId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(toAlert(row)) : Optional.empty();
            }
        }
    }

    // ---- what people do --------------------------------------------------------------------

    /** An operator has seen the alert and is on it. Only an open alert. */
    @Transactional
    public AlertEvent acknowledge(UUID alertId, String actor, String note) throws SQLException {
        return act(alertId, actor, note, AlertEvent.Type.TYPE_ACKNOWLEDGED, """
                UPDATE alerting.alert SET state = 'ACKNOWLEDGED', acknowledged_at = ?, acknowledged_by = ?,
                    next_escalation_at = NULL
                WHERE alert_id = ? RETURNING %s""", "OPEN");
    }

    /** A person resolves the alert, with a note saying what was done. An open or acknowledged alert. */
    @Transactional
    public AlertEvent resolve(UUID alertId, String actor, String note) throws SQLException {
        return act(alertId, actor, note, AlertEvent.Type.TYPE_RESOLVED, """
                UPDATE alerting.alert SET state = 'RESOLVED', resolved_at = ?, resolved_by = ?, resolution_note = ?,
                    next_escalation_at = NULL
                WHERE alert_id = ? RETURNING %s""", "OPEN", "ACKNOWLEDGED");
    }

    /** A comment on the alert, kept in its history; in any state. */
    @Transactional
    public AlertEvent comment(UUID alertId, String actor, String text) throws SQLException {
        return act(alertId, actor, text, AlertEvent.Type.TYPE_COMMENTED, null, "OPEN", "ACKNOWLEDGED", "RESOLVED");
    }

    /** Gives the alert to someone (an operator or a worker id). An open or acknowledged alert. */
    @Transactional
    public AlertEvent assign(UUID alertId, String actor, String assignee) throws SQLException {
        return act(alertId, actor, assignee, AlertEvent.Type.TYPE_ASSIGNED, """
                UPDATE alerting.alert SET assignee = ? WHERE alert_id = ? RETURNING %s""", "OPEN", "ACKNOWLEDGED");
    }

    /**
     * Locks the alert, checks that the change is allowed from its state, applies it and publishes
     * its event, all in one transaction: two operators resolving at once get one success and one
     * refusal, never two events.
     */
    private AlertEvent act(UUID alertId, String actor, String text, AlertEvent.Type type, String update,
                           String... allowedFrom) throws SQLException {
        Instant now = Instant.now();
        try (Connection connection = dataSource.getConnection()) {
            journal.begin(connection);
            try {
                AlertEvent event = act(connection, alertId, actor, text, type, update, now, allowedFrom);
                journal.flush(connection);
                return event;
            } finally {
                journal.discard(connection);
            }
        }
    }

    private AlertEvent act(Connection connection, UUID alertId, String actor, String text, AlertEvent.Type type,
                           String update, Instant now, String... allowedFrom) throws SQLException {
        Alert alert;
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM alerting.alert WHERE alert_id = ? FOR UPDATE")) {
            lock.setObject(1, alertId);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new AlertNotFoundException(alertId);
                }
                alert = toAlert(row);
            }
        }
        if (!List.of(allowedFrom).contains(alert.state())) {
            throw new IllegalTransitionException(alert, type);
        }
        if (update != null) {
            try (PreparedStatement change = connection.prepareStatement(update.formatted(COLUMNS))) {
                int i = 0;
                if (type == AlertEvent.Type.TYPE_ACKNOWLEDGED || type == AlertEvent.Type.TYPE_RESOLVED) {
                    change.setTimestamp(++i, Timestamp.from(now));
                    change.setString(++i, actor);
                }
                if (type == AlertEvent.Type.TYPE_RESOLVED || type == AlertEvent.Type.TYPE_ASSIGNED) {
                    change.setString(++i, text);
                }
                change.setObject(++i, alertId);
                try (ResultSet row = change.executeQuery()) {
                    row.next();
                    alert = toAlert(row);
                }
            }
        }
        AlertEvent event = event(type, alert, now, actor, null, text);
        journal.record(connection, alert, event);
        return event;
    }

    /** An alert's changes, oldest first; empty for an unknown alert. */
    public List<HistoryEntry> history(UUID alertId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT event_id, type, actor, occurred_at, state, severity, note FROM alerting.alert_history
                     WHERE alert_id = ? ORDER BY seq""")) {
            query.setObject(1, alertId);
            List<HistoryEntry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(new HistoryEntry(rows.getObject("event_id", UUID.class), rows.getString("type"),
                            rows.getString("actor"), instant(rows, "occurred_at"), rows.getString("state"),
                            Severity.forNumber(rows.getShort("severity")).name(), rows.getString("note")));
                }
            }
            return entries;
        }
    }

    /** One change of an alert as its history shows it. */
    public record HistoryEntry(UUID eventId, String type, String actor, Instant occurredAt, String state,
                               String severity, String note) {
    }

    /** No alert has this id. */
    public static final class AlertNotFoundException extends RuntimeException {
        public AlertNotFoundException(UUID alertId) {
            super("No alert " + alertId);
        }
    }

    /** The change is not allowed from the alert's state, e.g. resolving an alert twice. */
    public static final class IllegalTransitionException extends RuntimeException {
        public IllegalTransitionException(Alert alert, AlertEvent.Type type) {
            super("Alert " + alert.alertId() + " is " + alert.state() + ": it cannot be "
                    + PAST.getOrDefault(type, type.name()) + (alert.state().equals("RESOLVED")
                    ? " (resolved by " + alert.resolvedBy() + " at " + alert.resolvedAt() + ")" : ""));
        }

        private static final Map<AlertEvent.Type, String> PAST = Map.of(
                AlertEvent.Type.TYPE_ACKNOWLEDGED, "acknowledged", AlertEvent.Type.TYPE_RESOLVED, "resolved",
                AlertEvent.Type.TYPE_ASSIGNED, "assigned", AlertEvent.Type.TYPE_COMMENTED, "commented");
    }
}
