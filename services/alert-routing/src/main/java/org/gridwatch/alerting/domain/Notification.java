package org.gridwatch.alerting.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One message to one channel about one alert event, and how its delivery went: PENDING until a
 * sender has it accepted (SENT), or FAILED once the channel refused it for good or every attempt
 * was used. The id goes with every attempt, so a receiver can drop a repeat.
 */
public record Notification(UUID notificationId, UUID alertId, UUID eventId, String channelId, String reason,
                           String level, String areaId, String state, int attempts, String lastError,
                           Instant createdAt, Instant nextAttemptAt, Instant sentAt) {
}
