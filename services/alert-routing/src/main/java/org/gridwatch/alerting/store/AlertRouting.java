package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.Level;
import org.gridwatch.alerting.domain.RoutingPolicy;
import org.gridwatch.contract.v1.Severity;

/**
 * What happens to an alert when it opens, in its opening transaction: it joins the group of its
 * kind and building, follows the first routing policy that matches (frozen on the alert), and is
 * told at the policy's level unless a silence or an inhibition covers it or its community is in a
 * storm. A storm never swallows a CRITICAL alert.
 */
@ApplicationScoped
public class AlertRouting {

    /** The kind of a storm summary alert; its subject is "storm:" and the community. */
    public static final String STORM_KIND = "alert.storm";

    /** What opening decided; {@code alertsInWindow} counts the community's alerts when it is in a storm. */
    record Decision(boolean storm, int alertsInWindow) {
    }

    @Inject
    RoutingStore routing;

    @Inject
    AlertingConfig config;

    Decision route(Connection connection, Alert alert) throws SQLException {
        UUID group = STORM_KIND.equals(alert.kind()) ? null : joinGroup(connection, alert);
        Optional<RoutingPolicy> policy = routing.match(connection, alert);
        int inWindow = stormCandidate(alert) ? alertsInWindow(connection, alert.place().communityId()) : 0;
        boolean storm = inWindow > config.storm().maxAlerts();
        boolean told = !alert.covered() && !storm;
        String level = policy.map(RoutingPolicy::level).orElse(Level.GRID.id());
        Integer escalateAfter = policy.map(RoutingPolicy::escalateAfterSeconds).orElse(null);
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE alerting.alert SET group_id = ?, policy_id = ?, channels = ?, escalate_after_seconds = ?,
                    remind_every_seconds = ?, wants_dispatch = ?, dispatch = ?, level = ?, notified_level = ?,
                    next_escalation_at = now() + make_interval(secs => ?)
                WHERE alert_id = ?""")) {
            int i = 0;
            update.setObject(++i, group);
            update.setString(++i, policy.map(RoutingPolicy::policyId).orElse(null));
            update.setArray(++i, connection.createArrayOf("text",
                    policy.map(RoutingPolicy::channels).orElse(List.of()).toArray()));
            update.setObject(++i, escalateAfter);
            update.setObject(++i, policy.map(RoutingPolicy::remindEverySeconds).orElse(null));
            boolean wantsDispatch = policy.map(RoutingPolicy::autoDispatch).orElse(false);
            update.setBoolean(++i, wantsDispatch);
            // A silenced or hidden alert makes its task when it is first told; a summarized one
            // never on its own (the summary or the operator decides).
            update.setBoolean(++i, told && wantsDispatch);
            update.setString(++i, level);
            update.setString(++i, told ? level : null);
            // Told: escalates on the policy's clock. Covered: looked at again soon, and told once
            // nothing covers it any more. In a storm: the summary alert escalates instead.
            Long seconds = null;
            if (!storm && !told) {
                seconds = config.escalation().coveredRecheck().toSeconds();
            } else if (!storm && escalateAfter != null) {
                seconds = escalateAfter.longValue();
            }
            update.setObject(++i, seconds);
            update.setObject(++i, alert.alertId());
            update.executeUpdate();
        }
        return new Decision(storm, inWindow);
    }

    private static boolean stormCandidate(Alert alert) {
        return !STORM_KIND.equals(alert.kind()) && alert.place().communityId() != null && !alert.covered()
                && Severity.valueOf(alert.severity()).getNumber() < Severity.CRITICAL_VALUE;
    }

    /** Alerts opened in the community within the storm window, this one included; storm summaries not counted. */
    private int alertsInWindow(Connection connection, String communityId) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("""
                SELECT count(*) FROM alerting.alert WHERE community_id = ? AND kind <> ?
                  AND created_at > now() - make_interval(secs => ?)""")) {
            count.setString(1, communityId);
            count.setString(2, STORM_KIND);
            count.setDouble(3, config.storm().window().toMillis() / 1000.0);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /**
     * Joins the latest group of the same kind and building opened within the group window, or
     * starts one. A transaction-scoped advisory lock on the kind and building makes replicas that
     * open related alerts at once agree on one group.
     */
    private UUID joinGroup(Connection connection, Alert alert) throws SQLException {
        Alert.Place p = alert.place();
        String area = firstNonNull(p.buildingId(), p.unitId(), p.gridId(), p.communityId(), p.streetId(),
                p.districtId(), alert.subjectId());
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "alert-group:" + alert.kind() + ":" + area);
            lock.execute();
        }
        try (PreparedStatement join = connection.prepareStatement("""
                UPDATE alerting.alert_group SET last_opened_at = now(), alert_count = alert_count + 1
                WHERE group_id = (SELECT group_id FROM alerting.alert_group WHERE kind = ? AND area_id = ?
                                    AND last_opened_at > now() - make_interval(secs => ?)
                                  ORDER BY last_opened_at DESC LIMIT 1)
                RETURNING group_id""")) {
            join.setString(1, alert.kind());
            join.setString(2, area);
            join.setDouble(3, config.groupWindow().toMillis() / 1000.0);
            try (ResultSet row = join.executeQuery()) {
                if (row.next()) {
                    return row.getObject(1, UUID.class);
                }
            }
        }
        UUID group = UUID.randomUUID();
        try (PreparedStatement start = connection.prepareStatement("""
                INSERT INTO alerting.alert_group (group_id, kind, area_id, first_opened_at, last_opened_at, alert_count)
                VALUES (?, ?, ?, now(), now(), 1)""")) {
            start.setObject(1, group);
            start.setString(2, alert.kind());
            start.setString(3, area);
            start.executeUpdate();
        }
        return group;
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
