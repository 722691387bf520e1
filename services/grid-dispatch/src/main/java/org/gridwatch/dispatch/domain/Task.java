package org.gridwatch.dispatch.domain;

import java.time.Instant;
import java.util.UUID;

/** A task as the API shows it. */
public record Task(UUID taskId, String alertId, String channel, String kind, String severity, String state,
                   String workerId, Place place, String subjectId, String summary, String assignmentReason,
                   Instant createdAt, Instant updatedAt) {

    /** Where the task is, up the area hierarchy. */
    public record Place(String districtId, String streetId, String communityId, String gridId, String buildingId,
                        String unitId) {
    }
}
