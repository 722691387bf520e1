package org.gridwatch.alerting.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.OpeningRoute;
import org.gridwatch.alerting.domain.RoutingPolicy;
import org.gridwatch.plumbing.sql.Locks;
import org.jdbi.v3.core.Handle;

/**
 * What happens to an alert when it opens, in its opening transaction: it joins the group of its
 * kind and building, and the {@link OpeningRoute} decided from the policy that matches and its
 * community's count of recent alerts is frozen on it.
 */
@ApplicationScoped
public class AlertRouting {

    /** The route decided, and the community's alerts within the storm window (0 when not counted). */
    public record Routed(OpeningRoute route, int alertsInWindow) {
    }

    @Inject
    RoutingStore routing;

    @Inject
    AlertingConfig config;

    Routed route(Handle handle, Alert alert, Instant now) throws SQLException {
        UUID group = OpeningRoute.STORM_KIND.equals(alert.kind()) ? null : joinGroup(handle, alert, now);
        Optional<RoutingPolicy> policy = routing.match(handle, alert);
        int inWindow = OpeningRoute.stormCandidate(alert) ? alertsInWindow(handle, alert.place().communityId(), now) : 0;
        OpeningRoute route = OpeningRoute.decide(alert, policy, inWindow, config.storm().maxAlerts(),
                config.escalation().coveredRecheck(), now);
        handle.createUpdate("""
                        UPDATE alerting.alert SET group_id = :groupId, policy_id = :policyId, channels = :channels,
                            escalate_after_seconds = :escalateAfter, remind_every_seconds = :remindEvery,
                            wants_dispatch = :wantsDispatch, dispatch = :dispatch, level = :level,
                            notified_level = :notifiedLevel, next_escalation_at = :nextEscalationAt
                        WHERE alert_id = :alertId""")
                .bind("groupId", group).bind("policyId", route.policyId())
                .bindArray("channels", String.class, route.channels())
                .bind("escalateAfter", route.escalateAfterSeconds()).bind("remindEvery", route.remindEverySeconds())
                .bind("wantsDispatch", route.wantsDispatch()).bind("dispatch", route.dispatch())
                .bind("level", route.level()).bind("notifiedLevel", route.notifiedLevel())
                .bind("nextEscalationAt", route.nextEscalationAt()).bind("alertId", alert.alertId()).execute();
        return new Routed(route, inWindow);
    }

    /** Alerts opened in the community within the storm window, this one included; storm summaries not counted. */
    private int alertsInWindow(Handle handle, String communityId, Instant now) {
        return handle.createQuery("""
                        SELECT count(*) FROM alerting.alert WHERE community_id = :communityId AND kind <> :stormKind
                          AND created_at > :since""")
                .bind("communityId", communityId).bind("stormKind", OpeningRoute.STORM_KIND)
                .bind("since", now.minus(config.storm().window())).mapTo(Integer.class).one();
    }

    /**
     * Joins the latest group of the same kind and building opened within the group window, or
     * starts one. A transaction-scoped advisory lock on the kind and building makes replicas that
     * open related alerts at once agree on one group.
     */
    private UUID joinGroup(Handle handle, Alert alert, Instant now) throws SQLException {
        Alert.Place p = alert.place();
        String area = firstNonNull(p.buildingId(), p.unitId(), p.gridId(), p.communityId(), p.streetId(),
                p.districtId(), alert.subjectId());
        Locks.holdUntilCommit(handle.getConnection(), "alert-group:" + alert.kind() + ":" + area);
        return handle.createQuery("""
                        UPDATE alerting.alert_group SET last_opened_at = :now, alert_count = alert_count + 1
                        WHERE group_id = (SELECT group_id FROM alerting.alert_group WHERE kind = :kind AND area_id = :area
                                            AND last_opened_at > :since ORDER BY last_opened_at DESC LIMIT 1)
                        RETURNING group_id""")
                .bind("now", now).bind("kind", alert.kind()).bind("area", area)
                .bind("since", now.minus(config.groupWindow())).mapTo(UUID.class).findOne()
                .orElseGet(() -> handle.createQuery("""
                                INSERT INTO alerting.alert_group (group_id, kind, area_id, first_opened_at, last_opened_at,
                                    alert_count) VALUES (:id, :kind, :area, :now, :now, 1) RETURNING group_id""")
                        .bind("id", UUID.randomUUID()).bind("kind", alert.kind()).bind("area", area).bind("now", now)
                        .mapTo(UUID.class).one());
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
