package org.gridwatch.alerting.domain;

import java.time.Instant;

/**
 * Where notifications go: a type that names its sender ("webhook" is shipped), the target the
 * sender reads (a webhook's URL) and the secret that signs what is sent (never shown by the API).
 */
public record Channel(String channelId, String type, String target, String secret, String description,
                      Instant updatedAt) {
}
