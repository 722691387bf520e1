package org.gridwatch.dispatch.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A task as the API shows it: where it came from ({@code channel}: alert, hotline, patrol,
 * resident, operator), who has it, what the current stage is due by, whether it missed a deadline
 * ({@code overdueSince}) and who above the worker answers for it ({@code escalationLevel},
 * {@code escalatedTo}). The photo itself is fetched on its own; {@code photoType} says there is one.
 */
public record Task(UUID taskId, String alertId, String channel, String kind, String severity, TaskState state,
                   String workerId, Place place, Double latitude, Double longitude, String subjectId,
                   String summary, String skill, String deadlineId, String reportedBy, String assignmentReason,
                   String reason, String resolvedBy, String resolutionNote, String photoType, String verifiedBy,
                   Instant dueAt, Instant overdueSince, String escalationLevel, String escalatedTo, int escalations,
                   Instant createdAt, Instant updatedAt, Instant stageStartedAt) {

    /** Where the task is, up the area hierarchy. */
    public record Place(String districtId, String streetId, String communityId, String gridId, String buildingId,
                        String unitId) {
    }
}
