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

import org.gridwatch.alerting.domain.Level;
import org.gridwatch.contract.v1.Severity;

/**
 * The alert events an operator's console streams, read from the alerts' history in the order they
 * happened, from a position the client gives back on reconnect. Positions are taken in commit
 * order ({@link AlertJournal}), so a client that resumes from its last position gets everything
 * it missed, once and in order.
 */
@ApplicationScoped
public class AlertFeed {

    /** One event of the feed; {@code position} is what the client gives back to resume. */
    public record FeedEvent(long position, UUID eventId, UUID alertId, String type, String actor, Instant occurredAt,
                            String state, String severity, String note, String kind, String subjectId,
                            String districtId, String streetId, String communityId, String gridId,
                            String buildingId, String unitId, String level, String summary, UUID groupId,
                            Instant recordedAt) {

        /**
         * Whether a console of {@code areaId} (any level; null for all) and {@code level} (null for
         * all) shows it: the same test as {@link #after}'s, for events already in memory.
         */
        public boolean shownTo(String areaId, Level consoleLevel) {
            boolean inArea = areaId == null || areaId.equals(districtId) || areaId.equals(streetId)
                    || areaId.equals(communityId) || areaId.equals(gridId) || areaId.equals(buildingId)
                    || areaId.equals(unitId);
            return inArea && (consoleLevel == null || Level.rank(level) >= consoleLevel.ordinal());
        }
    }

    /**
     * The events of one committed transaction, oldest first: they follow position {@code previous}
     * (the last event committed before them) without a gap. Fired on the replica that committed
     * them, after the commit, so that its consoles get them without reading them back.
     */
    public record Committed(long previous, List<FeedEvent> events) {
    }

    @Inject
    DataSource dataSource;

    /**
     * Events after {@code position} under {@code areaId} (any level; null for all) that consoles
     * of {@code level} see (the alert's level had reached it when the event happened; null for
     * all), oldest first.
     */
    public List<FeedEvent> after(long position, String areaId, Level level, int limit) throws SQLException {
        String sql = """
                SELECT h.seq, h.event_id, h.alert_id, h.type, h.actor, h.occurred_at, h.state, h.severity, h.note,
                       a.kind, a.subject_id, a.district_id, a.street_id, a.community_id, a.grid_id, a.building_id,
                       a.unit_id, h.level, a.summary, a.group_id,
                       h.recorded_at
                FROM alerting.alert_history h JOIN alerting.alert a ON a.alert_id = h.alert_id
                WHERE h.seq > ?
                  AND (?::text IS NULL OR ? IN (a.district_id, a.street_id, a.community_id, a.grid_id,
                       a.building_id, a.unit_id))
                  AND %s >= ?
                ORDER BY h.seq LIMIT ?""".formatted(Level.rankSql("h.level"));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, position);
            query.setString(2, areaId);
            query.setString(3, areaId);
            query.setInt(4, level == null ? 0 : level.ordinal());
            query.setInt(5, limit);
            List<FeedEvent> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Timestamp at = rows.getTimestamp("occurred_at");
                    events.add(new FeedEvent(rows.getLong("seq"), rows.getObject("event_id", UUID.class),
                            rows.getObject("alert_id", UUID.class), rows.getString("type"), rows.getString("actor"),
                            at == null ? null : at.toInstant(), rows.getString("state"),
                            Severity.forNumber(rows.getShort("severity")).name(), rows.getString("note"),
                            rows.getString("kind"), rows.getString("subject_id"), rows.getString("district_id"),
                            rows.getString("street_id"), rows.getString("community_id"), rows.getString("grid_id"),
                            rows.getString("building_id"), rows.getString("unit_id"), rows.getString("level"),
                            rows.getString("summary"), rows.getObject("group_id", UUID.class),
                            rows.getTimestamp("recorded_at").toInstant()));
                }
            }
            return events;
        }
    }

    /** The position of the newest event now, for a client that wants only what comes next. */
    public long latest() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT coalesce(max(seq), 0) FROM alerting.alert_history");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
