package org.gridwatch.alerting.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Related alerts shown as one: the same kind in the same building (or the most precise area
 * known), each opened within the group window of the one before; with how many there are, how
 * many are still active, the worst severity and the alerts themselves, newest first.
 */
public record AlertGroup(UUID groupId, String kind, String areaId, Instant firstOpenedAt, Instant lastOpenedAt,
                         int alertCount, int activeCount, String severity, List<UUID> alertIds) {
}
