package org.gridwatch.alerting.routing;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.gridwatch.alerting.domain.Channel;

/**
 * Sends notifications to channels of one type. The webhook sender is shipped; an SMS or voice
 * sender to a resident's family contacts is another bean of this interface with its own type.
 * A sender makes one attempt per call; retries, backoff and deduplication are the dispatcher's.
 */
public interface NotificationSender {

    /** The channel type this sender serves, e.g. "webhook". */
    String type();

    /** Why a channel's target cannot be used by this sender; empty when it can. */
    Optional<String> checkTarget(String target);

    /**
     * One attempt to deliver {@code body} (JSON); {@code notificationId} goes with it so that the
     * receiver can drop a repeat. Completes with the outcome; never exceptionally.
     */
    CompletionStage<Delivery> send(Channel channel, UUID notificationId, String body);

    /** How an attempt went: delivered, worth retrying (after at least {@code retryAfter}, when the receiver asked), or refused for good. */
    record Delivery(Outcome outcome, String detail, Duration retryAfter) {

        public enum Outcome { SENT, RETRY, REJECTED }

        public static Delivery sent(String detail) {
            return new Delivery(Outcome.SENT, detail, null);
        }

        public static Delivery retry(String detail, Duration retryAfter) {
            return new Delivery(Outcome.RETRY, detail, retryAfter);
        }

        public static Delivery rejected(String detail) {
            return new Delivery(Outcome.REJECTED, detail, null);
        }
    }
}
