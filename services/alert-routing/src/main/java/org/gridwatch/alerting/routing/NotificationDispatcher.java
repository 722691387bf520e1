package org.gridwatch.alerting.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Channel;
import org.gridwatch.alerting.routing.NotificationSender.Delivery;
import org.gridwatch.alerting.store.Notifications;
import org.gridwatch.alerting.store.RoutingStore;
import org.gridwatch.plumbing.commit.CommitListener;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends due notifications: leases a batch (a replica that dies mid-send leaves them to be taken
 * again when the lease ends: at least once), sends them in parallel through the sender of each
 * channel's type, then marks each sent, to be retried with exponential backoff, or failed for good.
 * Receivers drop the rare repeat by the notification id, which never changes between attempts.
 */
@ApplicationScoped
public class NotificationDispatcher {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);
    private static final int BATCH = 50;

    @Inject
    Notifications notifications;

    @Inject
    RoutingStore routing;

    @Inject
    Instance<NotificationSender> senders;

    @Inject
    AlertingConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    CommitListener commits;

    /** Sends as soon as notifications are committed (on any replica), and every interval for retries that fall due. */
    void start(@Observes StartupEvent start) {
        commits.pump(Notifications.CHANNEL, "notification-dispatcher", config.notifications().interval(),
                Duration.ofMillis(10), this::dispatch);
    }

    void dispatch() {
        try {
            while (sendBatch() == BATCH) {
                // More are due: keep going before the next tick.
            }
        } catch (RuntimeException e) {
            // Leased notifications come back when their lease ends; nothing is lost.
            LOG.warnf("Notifications not sent this time: %s", e.toString());
        }
    }

    private int sendBatch() {
        List<Notifications.Leased> due = notifications.lease(BATCH, config.notifications().lease());
        if (due.isEmpty()) {
            return 0;
        }
        Map<String, Channel> channels = routing.channels().stream()
                .collect(Collectors.toMap(Channel::channelId, Function.identity()));
        List<CompletableFuture<Void>> attempts = new ArrayList<>();
        for (Notifications.Leased notification : due) {
            Channel channel = channels.get(notification.channelId());
            Optional<NotificationSender> sender = channel == null ? Optional.empty() : sender(channel.type());
            CompletableFuture<Delivery> delivery = channel == null
                    ? CompletableFuture.completedFuture(Delivery.rejected("channel " + notification.channelId()
                            + " does not exist (any more)"))
                    : sender.isEmpty()
                    ? CompletableFuture.completedFuture(Delivery.rejected("no sender for channel type '"
                            + channel.type() + "'"))
                    : sender.get().send(channel, notification.notificationId(), notification.body())
                            .toCompletableFuture();
            attempts.add(delivery.thenAccept(outcome -> record(notification, outcome)));
        }
        try {
            CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
                    .get(config.notifications().timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // An attempt that has not finished keeps its lease and is taken again when it ends.
            LOG.warnf("Some notifications did not finish in time: %s", e.toString());
        }
        return due.size();
    }

    private Optional<NotificationSender> sender(String type) {
        return senders.stream().filter(s -> s.type().equals(type)).findFirst();
    }

    private void record(Notifications.Leased notification, Delivery delivery) {
        try {
            switch (delivery.outcome()) {
                case SENT -> notifications.sent(notification.notificationId());
                case REJECTED -> notifications.failed(notification.notificationId(), delivery.detail());
                case RETRY -> {
                    if (notification.attempts() >= config.notifications().maxAttempts()) {
                        notifications.failed(notification.notificationId(), "gave up after "
                                + notification.attempts() + " attempts; last: " + delivery.detail());
                    } else {
                        notifications.retryLater(notification.notificationId(), delivery.detail(),
                                backoff(notification.attempts(), delivery.retryAfter()));
                    }
                }
            }
            metrics.counter("gridwatch.notifications", "channel", notification.channelId(), "outcome",
                    delivery.outcome().name()).increment();
            if (delivery.outcome() != Delivery.Outcome.SENT) {
                LOG.warnf("Notification %s to %s: %s (%s, attempt %d)", notification.notificationId(),
                        notification.channelId(), delivery.outcome(), delivery.detail(), notification.attempts());
            }
        } catch (RuntimeException e) {
            // Not recorded: the lease runs out and it is sent again, under the same id.
            LOG.warnf("Outcome of notification %s not recorded: %s", notification.notificationId(), e.toString());
        }
    }

    /** Doubling from the base up to the maximum, with jitter so that retries from many alerts spread out. */
    Duration backoff(int attempts, Duration retryAfter) {
        long base = config.notifications().retryBase().toMillis();
        long max = config.notifications().retryMax().toMillis();
        long delay = Math.min(max, base << Math.min(attempts - 1, 30));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        if (retryAfter != null) {
            delay = Math.min(max, Math.max(delay, retryAfter.toMillis()));
        }
        return Duration.ofMillis(delay);
    }
}
