package org.gridwatch.alerting.api;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.outbox.Pump;
import org.gridwatch.alerting.domain.Level;
import org.gridwatch.alerting.store.AlertFeed;
import org.gridwatch.alerting.store.AlertJournal;
import org.gridwatch.outbox.CommitListener;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * Pushes alert events to the consoles connected to this replica, whichever replica recorded them:
 * each commit of alert events ({@link CommitListener}) wakes one pump thread that reads what each
 * console has not seen yet, from its own position; without a wake-up it still looks every
 * second. A console whose connection has stalled is left at its position until it reads again.
 */
@ApplicationScoped
public class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class);
    private static final int BATCH = 500;

    @Inject
    AlertFeed feed;

    @Inject
    CommitListener commits;

    private final Set<Console> consoles = ConcurrentHashMap.newKeySet();
    private volatile Pump pump;

    /** One connected console: what it filters on and how far it has read. */
    private static final class Console {
        final String areaId;
        final Level level;
        final MultiEmitter<? super AlertFeed.FeedEvent> emitter;
        long position;

        Console(long position, String areaId, Level level, MultiEmitter<? super AlertFeed.FeedEvent> emitter) {
            this.position = position;
            this.areaId = areaId;
            this.level = level;
            this.emitter = emitter;
        }
    }

    void start(@Observes StartupEvent start) {
        pump = commits.pump(AlertJournal.COMMIT_CHANNEL, "alert-feed-pump", Duration.ofSeconds(1),
                Duration.ofMillis(5), this::catchUpAll);
    }

    /** The events after {@code position} for a console of {@code areaId} and {@code level}, then each new one as it commits. */
    public Multi<AlertFeed.FeedEvent> subscribe(long position, String areaId, Level level) {
        return Multi.createFrom().emitter(emitter -> {
            Console console = new Console(position, areaId, level, emitter);
            consoles.add(console);
            emitter.onTermination(() -> consoles.remove(console));
            pump.wakeUp();
        }, BackPressureStrategy.BUFFER);
    }

    private void catchUpAll() {
        for (Console console : consoles) {
            catchUp(console);
        }
    }

    private void catchUp(Console console) {
        // The server-sent-events writer asks for a few events at a time and buffers the rest; a
        // console that asks for nothing (its connection stalled) is left where it is.
        if (console.emitter.requested() <= 0 || console.emitter.isCancelled()) {
            return;
        }
        try {
            List<AlertFeed.FeedEvent> events = feed.after(console.position, console.areaId, console.level, BATCH);
            for (AlertFeed.FeedEvent event : events) {
                console.emitter.emit(event);
                console.position = event.position();
            }
            if (events.size() == BATCH) {
                pump.wakeUp();
            }
        } catch (SQLException e) {
            // The database is away for a moment: the console keeps its position; the next round retries.
            LOG.debugf("Live feed read failed: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Live feed console dropped: %s", e.toString());
            console.emitter.fail(e);
        }
    }
}
