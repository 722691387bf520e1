package org.gridwatch.alerting.domain;

import java.util.List;

/**
 * Which alerts a policy takes (kinds, exactly or by prefix as in "fire.*"; a minimum severity; an
 * area at any level; null or empty: any) and what it does with them: the level whose consoles see
 * them and whose people are told first, whether grid-dispatch makes a task, the channels told, and
 * the escalation: a level up after {@code escalateAfterSeconds} without acknowledgement, then a
 * reminder every {@code remindEverySeconds} once the district is told. Policies are tried by
 * priority, lowest first; the first that matches is frozen on the alert when it opens.
 */
public record RoutingPolicy(String policyId, int priority, List<String> kinds, String minSeverity, String areaId,
                            String level, boolean autoDispatch, List<String> channels, Integer escalateAfterSeconds,
                            Integer remindEverySeconds, String description) {
}
