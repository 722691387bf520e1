package org.gridwatch.alerting.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An alert as the API shows it; {@code silencedBy} names the silence in force that covers it (the
 * alert is still recorded and shown, but not notified), null when none does; {@code inhibitedBy}
 * the active alert that hides it under an inhibition rule (a confirmed fire in the building, the
 * device's gateway offline), null when none does; {@code groupId} the group of related alerts
 * (same kind and building, opened close together) it is shown in; {@code summarizedBy} the storm
 * summary alert that speaks for it; {@code taskId} the task grid-dispatch made of it.
 */
public record Alert(UUID alertId, String subjectId, String kind, AlertState state, String severity, String deviceId,
                    Place place, String summary, int repeatCount, Instant firstSeen, Instant lastSeen,
                    Instant openedAt, Instant resolvedAt, String resolvedBy, String lastDetectionId,
                    Instant acknowledgedAt, String acknowledgedBy, String assignee, String resolutionNote,
                    UUID silencedBy, String gatewayId, UUID inhibitedBy, Routing routing, UUID groupId,
                    UUID summarizedBy, String taskId) {

    /** Where the alert is, up the area hierarchy. */
    public record Place(String districtId, String streetId, String communityId, String gridId, String buildingId,
                        String unitId) {
    }

    /**
     * How the alert is routed: the policy frozen when it opened; the highest level whose consoles
     * see it; whether a task is asked for; the channels told; the highest level told so far (null
     * while nobody has been); how often it escalated; when it escalates next unless acknowledged
     * (null: it does not).
     */
    public record Routing(String policyId, String level, boolean dispatch, List<String> channels,
                          String notifiedLevel, int escalations, Instant nextEscalationAt) {
    }

    /** Whether something keeps the alert from being told on its own: a silence, an inhibition, a storm summary. */
    public boolean covered() {
        return silencedBy != null || inhibitedBy != null || summarizedBy != null;
    }
}
