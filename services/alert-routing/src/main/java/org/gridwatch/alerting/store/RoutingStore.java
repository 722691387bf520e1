package org.gridwatch.alerting.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.Channel;
import org.gridwatch.alerting.domain.RoutingPolicy;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.plumbing.sql.Rows;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Routing policies and notification channels, as data an administrator changes through the API. */
@ApplicationScoped
public class RoutingStore {

    private static final String POLICY_COLUMNS = "policy_id, priority, kinds, min_severity, area_id, level, "
            + "auto_dispatch, channels, escalate_after_seconds, remind_every_seconds, description";

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    // ---- policies ------------------------------------------------------------------------------

    public List<RoutingPolicy> policies() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + POLICY_COLUMNS + " FROM alerting.routing_policy ORDER BY priority, policy_id")
                .map(RoutingStore::toPolicy).list());
    }

    /** The policy an alert follows: the first by priority whose kinds, severity and area all match. */
    Optional<RoutingPolicy> match(Handle handle, Alert alert) {
        Alert.Place p = alert.place();
        return handle.createQuery("""
                        SELECT %s FROM alerting.routing_policy p
                        WHERE (p.kinds IS NULL OR cardinality(p.kinds) = 0 OR EXISTS (SELECT 1 FROM unnest(p.kinds) k
                               WHERE k = :kind OR (k LIKE '%%.*' AND :kind LIKE left(k, -1) || '%%')))
                          AND :severity >= p.min_severity
                          AND (p.area_id IS NULL OR p.area_id IN (:district, :street, :community, :grid, :building, :unit))
                        ORDER BY p.priority, p.policy_id LIMIT 1""".formatted(POLICY_COLUMNS))
                .bind("kind", alert.kind()).bind("severity", (short) Severity.valueOf(alert.severity()).getNumber())
                .bind("district", p.districtId()).bind("street", p.streetId()).bind("community", p.communityId())
                .bind("grid", p.gridId()).bind("building", p.buildingId()).bind("unit", p.unitId())
                .map(RoutingStore::toPolicy).findOne();
    }

    /** Creates or replaces a policy; it applies to alerts that open from now on. */
    public RoutingPolicy put(RoutingPolicy policy) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        INSERT INTO alerting.routing_policy (%s) VALUES (:policyId, :priority, :kinds, :minSeverity,
                            :areaId, :level, :autoDispatch, :channels, :escalateAfter, :remindEvery, :description)
                        ON CONFLICT (policy_id) DO UPDATE SET priority = EXCLUDED.priority, kinds = EXCLUDED.kinds,
                            min_severity = EXCLUDED.min_severity, area_id = EXCLUDED.area_id, level = EXCLUDED.level,
                            auto_dispatch = EXCLUDED.auto_dispatch, channels = EXCLUDED.channels,
                            escalate_after_seconds = EXCLUDED.escalate_after_seconds,
                            remind_every_seconds = EXCLUDED.remind_every_seconds, description = EXCLUDED.description
                        RETURNING %1$s""".formatted(POLICY_COLUMNS))
                .bind("policyId", policy.policyId()).bind("priority", policy.priority())
                .bindByType("kinds", policy.kinds() == null ? null : policy.kinds().toArray(String[]::new), String[].class)
                .bind("minSeverity", (short) Severity.valueOf(policy.minSeverity()).getNumber())
                .bind("areaId", policy.areaId()).bind("level", policy.level())
                .bind("autoDispatch", policy.autoDispatch())
                .bindArray("channels", String.class, policy.channels())
                .bind("escalateAfter", policy.escalateAfterSeconds()).bind("remindEvery", policy.remindEverySeconds())
                .bind("description", policy.description())
                .map(RoutingStore::toPolicy).one());
    }

    public boolean deletePolicy(String policyId) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM alerting.routing_policy WHERE policy_id = :id")
                .bind("id", policyId).execute() == 1);
    }

    // ---- channels ------------------------------------------------------------------------------

    public List<Channel> channels() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT channel_id, type, target, secret, description, updated_at
                        FROM alerting.notification_channel ORDER BY channel_id""")
                .map((row, context) -> new Channel(row.getString("channel_id"), row.getString("type"),
                        row.getString("target"), row.getString("secret"), row.getString("description"),
                        Rows.instant(row, "updated_at")))
                .list());
    }

    public Channel put(Channel channel) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        INSERT INTO alerting.notification_channel (channel_id, type, target, secret, description,
                            updated_at) VALUES (:id, :type, :target, :secret, :description, :now)
                        ON CONFLICT (channel_id) DO UPDATE SET type = EXCLUDED.type, target = EXCLUDED.target,
                            secret = EXCLUDED.secret, description = EXCLUDED.description, updated_at = EXCLUDED.updated_at
                        RETURNING updated_at""")
                .bind("id", channel.channelId()).bind("type", channel.type()).bind("target", channel.target())
                .bind("secret", channel.secret()).bind("description", channel.description())
                .bind("now", clock.instant())
                .map((row, context) -> new Channel(channel.channelId(), channel.type(), channel.target(),
                        channel.secret(), channel.description(), Rows.instant(row, "updated_at")))
                .one());
    }

    public boolean deleteChannel(String channelId) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM alerting.notification_channel WHERE channel_id = :id")
                .bind("id", channelId).execute() == 1);
    }

    private static RoutingPolicy toPolicy(ResultSet row, StatementContext context) throws SQLException {
        return new RoutingPolicy(row.getString("policy_id"), row.getInt("priority"), list(row.getArray("kinds")),
                Severity.forNumber(row.getShort("min_severity")).name(), row.getString("area_id"),
                row.getString("level"), row.getBoolean("auto_dispatch"), list(row.getArray("channels")),
                (Integer) row.getObject("escalate_after_seconds"), (Integer) row.getObject("remind_every_seconds"),
                row.getString("description"));
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }
}
