package org.gridwatch.alerting.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An alert as the API shows it; {@code silencedBy} names the silence in force that covers it (the
 * alert is still recorded and shown, but not notified), null when none does; {@code inhibitedBy}
 * the active alert that hides it under an inhibition rule (a confirmed fire in the building, the
 * device's gateway offline), null when none does.
 */
public record Alert(UUID alertId, String subjectId, String kind, String state, String severity, String deviceId,
                    Place place, String summary, int repeatCount, Instant firstSeen, Instant lastSeen,
                    Instant openedAt, Instant resolvedAt, String resolvedBy, String lastDetectionId,
                    Instant acknowledgedAt, String acknowledgedBy, String assignee, String resolutionNote,
                    UUID silencedBy, String gatewayId, UUID inhibitedBy) {

    /** Where the alert is, up the area hierarchy. */
    public record Place(String districtId, String streetId, String communityId, String gridId, String buildingId,
                        String unitId) {
    }
}
