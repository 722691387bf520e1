package org.gridwatch.alerting.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gridwatch.contract.v1.Severity;

/**
 * How an alert is routed when it opens, frozen on it: the first routing policy that matches
 * (its level, channels, escalation times and whether it asks for a task), and whether it is told
 * now. It is told at the policy's level unless a silence or an inhibition covers it or its
 * community is in a storm (more alerts within the storm window than the storm allows); a storm
 * never swallows a CRITICAL alert, and storm summaries never count towards one. A covered alert is
 * looked at again after a while and told once nothing covers it; a told one escalates on the
 * policy's clock ({@link Escalation}); in a storm the summary alert escalates instead.
 *
 * @param wantsDispatch the policy asks for a task; {@code dispatch} says whether it is asked now
 * @param notifiedLevel the level told now, null while nobody is
 * @param nextEscalationAt the alert's first escalation timer, null for none
 */
public record OpeningRoute(String policyId, List<String> channels, Integer escalateAfterSeconds,
                           Integer remindEverySeconds, boolean wantsDispatch, boolean dispatch, String level,
                           String notifiedLevel, Instant nextEscalationAt, boolean storm) {

    /** The kind of a storm summary alert; its subject is "storm:" and the community. */
    public static final String STORM_KIND = "alert.storm";

    /**
     * @param alertsInWindow alerts opened in the alert's community within the storm window, this one
     *                       included (0 when it cannot be part of a storm: {@link #stormCandidate})
     */
    public static OpeningRoute decide(Alert alert, Optional<RoutingPolicy> policy, int alertsInWindow, int stormMax,
                                      Duration coveredRecheck, Instant now) {
        boolean storm = alertsInWindow > stormMax;
        boolean told = !alert.covered() && !storm;
        String level = policy.map(RoutingPolicy::level).orElse(Level.GRID.id());
        Integer escalateAfter = policy.map(RoutingPolicy::escalateAfterSeconds).orElse(null);
        boolean wantsDispatch = policy.map(RoutingPolicy::autoDispatch).orElse(false);
        Instant next = null;
        if (!storm && !told) {
            next = now.plus(coveredRecheck);
        } else if (!storm && escalateAfter != null) {
            next = now.plusSeconds(escalateAfter);
        }
        // A silenced or hidden alert makes its task when it is first told; a summarized one never
        // on its own (the summary or the operator decides).
        return new OpeningRoute(policy.map(RoutingPolicy::policyId).orElse(null),
                policy.map(RoutingPolicy::channels).orElse(List.of()), escalateAfter,
                policy.map(RoutingPolicy::remindEverySeconds).orElse(null), wantsDispatch, told && wantsDispatch,
                level, told ? level : null, next, storm);
    }

    /** Whether the alert counts towards its community's storm and may be summed up by it. */
    public static boolean stormCandidate(Alert alert) {
        return !STORM_KIND.equals(alert.kind()) && alert.place().communityId() != null && !alert.covered()
                && Severity.valueOf(alert.severity()).getNumber() < Severity.CRITICAL_VALUE;
    }
}
