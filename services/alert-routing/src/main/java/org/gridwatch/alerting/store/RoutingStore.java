package org.gridwatch.alerting.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.Channel;
import org.gridwatch.alerting.domain.RoutingPolicy;
import org.gridwatch.contract.v1.Severity;

/** Routing policies and notification channels, as data an administrator changes through the API. */
@ApplicationScoped
public class RoutingStore {

    private static final String POLICY_COLUMNS = "policy_id, priority, kinds, min_severity, area_id, level, "
            + "auto_dispatch, channels, escalate_after_seconds, remind_every_seconds, description";

    @Inject
    DataSource dataSource;

    // ---- policies ------------------------------------------------------------------------------

    public List<RoutingPolicy> policies() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + POLICY_COLUMNS + " FROM alerting.routing_policy ORDER BY priority, policy_id");
             ResultSet rows = query.executeQuery()) {
            List<RoutingPolicy> policies = new ArrayList<>();
            while (rows.next()) {
                policies.add(toPolicy(rows));
            }
            return policies;
        }
    }

    /** The policy an alert follows: the first by priority whose kinds, severity and area all match. */
    Optional<RoutingPolicy> match(Connection connection, Alert alert) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT %s FROM alerting.routing_policy p
                WHERE (p.kinds IS NULL OR cardinality(p.kinds) = 0 OR EXISTS (SELECT 1 FROM unnest(p.kinds) k
                       WHERE k = ? OR (k LIKE '%%.*' AND ? LIKE left(k, -1) || '%%')))
                  AND ? >= p.min_severity
                  AND (p.area_id IS NULL OR p.area_id IN (?, ?, ?, ?, ?, ?))
                ORDER BY p.priority, p.policy_id LIMIT 1""".formatted(POLICY_COLUMNS))) {
            int i = 0;
            query.setString(++i, alert.kind());
            query.setString(++i, alert.kind());
            query.setShort(++i, (short) Severity.valueOf(alert.severity()).getNumber());
            Alert.Place p = alert.place();
            for (String area : new String[] {p.districtId(), p.streetId(), p.communityId(), p.gridId(), p.buildingId(),
                    p.unitId()}) {
                query.setString(++i, area);
            }
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(toPolicy(row)) : Optional.empty();
            }
        }
    }

    /** Creates or replaces a policy; it applies to alerts that open from now on. */
    public RoutingPolicy put(RoutingPolicy policy) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO alerting.routing_policy (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (policy_id) DO UPDATE SET priority = EXCLUDED.priority, kinds = EXCLUDED.kinds,
                         min_severity = EXCLUDED.min_severity, area_id = EXCLUDED.area_id, level = EXCLUDED.level,
                         auto_dispatch = EXCLUDED.auto_dispatch, channels = EXCLUDED.channels,
                         escalate_after_seconds = EXCLUDED.escalate_after_seconds,
                         remind_every_seconds = EXCLUDED.remind_every_seconds, description = EXCLUDED.description
                     RETURNING %1$s""".formatted(POLICY_COLUMNS))) {
            int i = 0;
            upsert.setString(++i, policy.policyId());
            upsert.setInt(++i, policy.priority());
            upsert.setArray(++i, policy.kinds() == null ? null : textArray(connection, policy.kinds()));
            upsert.setShort(++i, (short) Severity.valueOf(policy.minSeverity()).getNumber());
            upsert.setString(++i, policy.areaId());
            upsert.setString(++i, policy.level());
            upsert.setBoolean(++i, policy.autoDispatch());
            upsert.setArray(++i, textArray(connection, policy.channels()));
            setInteger(upsert, ++i, policy.escalateAfterSeconds());
            setInteger(upsert, ++i, policy.remindEverySeconds());
            upsert.setString(++i, policy.description());
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return toPolicy(row);
            }
        }
    }

    public boolean deletePolicy(String policyId) throws SQLException {
        return delete("DELETE FROM alerting.routing_policy WHERE policy_id = ?", policyId);
    }

    // ---- channels ------------------------------------------------------------------------------

    public List<Channel> channels() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT channel_id, type, target, secret, description, updated_at
                     FROM alerting.notification_channel ORDER BY channel_id""");
             ResultSet rows = query.executeQuery()) {
            List<Channel> channels = new ArrayList<>();
            while (rows.next()) {
                channels.add(new Channel(rows.getString("channel_id"), rows.getString("type"), rows.getString("target"),
                        rows.getString("secret"), rows.getString("description"),
                        AlertRows.instant(rows, "updated_at")));
            }
            return channels;
        }
    }

    public Channel put(Channel channel) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO alerting.notification_channel (channel_id, type, target, secret, description)
                     VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (channel_id) DO UPDATE SET type = EXCLUDED.type, target = EXCLUDED.target,
                         secret = EXCLUDED.secret, description = EXCLUDED.description, updated_at = now()
                     RETURNING updated_at""")) {
            upsert.setString(1, channel.channelId());
            upsert.setString(2, channel.type());
            upsert.setString(3, channel.target());
            upsert.setString(4, channel.secret());
            upsert.setString(5, channel.description());
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return new Channel(channel.channelId(), channel.type(), channel.target(), channel.secret(),
                        channel.description(), AlertRows.instant(row, "updated_at"));
            }
        }
    }

    public boolean deleteChannel(String channelId) throws SQLException {
        return delete("DELETE FROM alerting.notification_channel WHERE channel_id = ?", channelId);
    }

    private boolean delete(String sql, String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
        }
    }

    private static RoutingPolicy toPolicy(ResultSet row) throws SQLException {
        return new RoutingPolicy(row.getString("policy_id"), row.getInt("priority"), list(row.getArray("kinds")),
                Severity.forNumber(row.getShort("min_severity")).name(), row.getString("area_id"),
                row.getString("level"), row.getBoolean("auto_dispatch"), list(row.getArray("channels")),
                (Integer) row.getObject("escalate_after_seconds"), (Integer) row.getObject("remind_every_seconds"),
                row.getString("description"));
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }

    private static Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }
}
