package org.gridwatch.alerting.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A silence or maintenance window: while active, alerts matching every matcher that is set (an
 * area at any level, a kind, a device) are recorded and shown as silenced, and not notified.
 */
public record Silence(UUID silenceId, String areaId, String kind, String deviceId, Instant startsAt, Instant endsAt,
                      String reason, String createdBy, Instant createdAt, Instant expiredAt, String expiredBy,
                      boolean active) {
}
