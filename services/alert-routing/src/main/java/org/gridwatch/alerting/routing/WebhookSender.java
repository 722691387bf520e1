package org.gridwatch.alerting.routing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Channel;

/**
 * A signed JSON POST to the channel's URL. Headers: {@code X-GridWatch-Notification-Id} (the same
 * on every attempt: receivers drop repeats by it), {@code X-GridWatch-Timestamp} (Unix seconds) and,
 * when the channel has a secret, {@code X-GridWatch-Signature: v1=<hex HMAC-SHA256 of
 * "timestamp.body" under the secret>}, so a receiver can check origin and freshness. A 2xx answer
 * is delivered; 408, 425, 429, 5xx and network errors are retried (honouring Retry-After); any
 * other answer is a refusal that retrying would not change.
 */
@ApplicationScoped
public class WebhookSender implements NotificationSender {

    public static final String TYPE = "webhook";
    public static final String ID_HEADER = "X-GridWatch-Notification-Id";
    public static final String TIMESTAMP_HEADER = "X-GridWatch-Timestamp";
    public static final String SIGNATURE_HEADER = "X-GridWatch-Signature";

    private static final Set<Integer> RETRYABLE = Set.of(408, 425, 429);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    AlertingConfig config;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<String> checkTarget(String target) {
        try {
            URI uri = new URI(target);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return Optional.of("a webhook target is an http or https URL with a host, got '" + target + "'");
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("a webhook target is an http or https URL, got '" + target + "': " + e.getMessage());
        }
    }

    @Override
    public CompletionStage<Delivery> send(Channel channel, UUID notificationId, String body) {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channel.target()))
                .timeout(config.notifications().timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "GridWatch-alert-routing")
                .header(ID_HEADER, notificationId.toString())
                .header(TIMESTAMP_HEADER, timestamp)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (channel.secret() != null && !channel.secret().isEmpty()) {
            request.header(SIGNATURE_HEADER, "v1=" + signature(channel.secret(), timestamp, body));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> error != null ? Delivery.retry(describe(error), null) : outcome(response));
    }

    private static Delivery outcome(HttpResponse<?> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Delivery.sent("HTTP " + status);
        }
        if (status >= 500 || RETRYABLE.contains(status)) {
            Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(WebhookSender::seconds)
                    .orElse(null);
            return Delivery.retry("HTTP " + status, retryAfter);
        }
        return Delivery.rejected("HTTP " + status + " (not retried: the receiver refuses this request)");
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** The hex HMAC-SHA256 of "timestamp.body" under the secret, as a receiver recomputes it to check a request. */
    public static String signature(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
