package org.gridwatch.alerting.api;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Level;
import org.gridwatch.alerting.store.AlertFeed;
import org.gridwatch.alerting.store.AlertJournal;
import org.gridwatch.plumbing.commit.CommitListener;
import org.gridwatch.plumbing.commit.Pump;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Pushes alert events to the consoles connected to this replica, whichever replica recorded them,
 * from one pump thread.
 *
 * <p>The pump keeps the newest events in memory (the tail): what this replica commits is handed
 * over right after the commit ({@link AlertFeed.Committed}), what other replicas commit is read
 * from the history when their commit notification arrives. A console within the tail is served
 * from memory; one further behind (it reconnected after a while) reads the history from its own
 * position until it has caught up. Positions are given in commit order ({@link AlertJournal}) and
 * each handed-over batch names the position it follows, so the tail knows it is whole; when in
 * doubt (a gap that does not fill, a lost notification) it reads the history again, and it does
 * so every second regardless. A console whose connection is not taking more (its client stopped
 * reading) is left at its position until it drains.
 */
@ApplicationScoped
public class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class);
    private static final int BATCH = 500;
    /** How long a gap before a batch of this replica may wait to be filled by another before the history is read. */
    private static final long GAP_PATIENCE_NANOS = Duration.ofMillis(100).toNanos();
    private static final long RECHECK_NANOS = Duration.ofSeconds(1).toNanos();
    /** Proxies close connections that stay silent; a console hears at least this often. */
    private static final long KEEP_ALIVE_NANOS = Duration.ofSeconds(15).toNanos();

    /** Where a console's events go: its connection. */
    public interface Connection {

        /** Whether it takes more now; false while its client is not reading what was sent. */
        boolean ready();

        /** Sends events, oldest first. */
        void send(List<AlertFeed.FeedEvent> events);

        /** Tells the client the connection is alive, when nothing else has been sent for a while. */
        void keepAlive();

        /** Ends the connection after a failure that the console cannot recover from. */
        void fail(RuntimeException cause);
    }

    /** A console as the feed sees it: what it filters on and how far it has looked. */
    private static final class Console {
        final String areaId;
        final Level level;
        final Connection connection;
        long position;
        long lastSent = System.nanoTime();

        Console(long position, String areaId, Level level, Connection connection) {
            this.position = position;
            this.areaId = areaId;
            this.level = level;
            this.connection = connection;
        }
    }

    /** A committed batch handed over by this replica, and when it came. */
    private record Handed(AlertFeed.Committed batch, long arrivedAt) {
    }

    @Inject
    AlertFeed feed;

    @Inject
    CommitListener commits;

    @Inject
    AlertingConfig config;

    private final Set<Console> consoles = ConcurrentHashMap.newKeySet();
    private final Queue<Handed> handedOver = new ConcurrentLinkedQueue<>();
    private volatile boolean othersCommitted = true;
    private volatile Pump pump;

    // The tail, touched by the pump thread only: every event committed in (tailStart, tailEnd], in order.
    private final Deque<AlertFeed.FeedEvent> tail = new ArrayDeque<>();
    private long tailStart = -1;
    private long tailEnd = -1;
    private final List<Handed> waiting = new ArrayList<>();
    private long lastRead;

    void start(@Observes StartupEvent start) {
        // Subscribed before the pump, so that the flag is up before the pump wakes for the same notification.
        commits.subscribe(AlertJournal.COMMIT_CHANNEL, replica -> {
            // This replica's own commits are handed over (committed), so only the others' call for a read.
            if (!AlertJournal.REPLICA.equals(replica)) {
                othersCommitted = true;
            }
        });
        pump = commits.pump(AlertJournal.COMMIT_CHANNEL, "alert-feed-pump", Duration.ofSeconds(1),
                Duration.ofMillis(1), this::round);
    }

    /** Takes the events this replica has just committed. */
    void committed(@Observes AlertFeed.Committed batch) {
        handedOver.add(new Handed(batch, System.nanoTime()));
        Pump current = pump;
        if (current != null) {
            current.wakeUp();
        }
    }

    /**
     * Sends {@code connection} the events after {@code position} for a console of {@code areaId}
     * and {@code level}, then each new one as it commits; the returned handle ends that.
     */
    public Runnable subscribe(long position, String areaId, Level level, Connection connection) {
        Console console = new Console(position, areaId, level, connection);
        consoles.add(console);
        pump.wakeUp();
        return () -> consoles.remove(console);
    }

    /** Looks again now: a connection that stopped taking more can take more. */
    public void wakeUp() {
        pump.wakeUp();
    }

    private void round() {
        try {
            extendTail();
        } catch (SQLException e) {
            // The database is away for a moment: the tail stays as it is; the next round reads again.
            LOG.debugf("Live feed read failed: %s", e.getMessage());
        }
        for (Console console : consoles) {
            serve(console);
        }
    }

    /** Brings the tail up to what has committed: batches handed over, else the history. */
    private void extendTail() throws SQLException {
        for (Handed handed; (handed = handedOver.poll()) != null; ) {
            waiting.add(handed);
        }
        if (tailEnd < 0) {
            tailStart = tailEnd = feed.latest();
            lastRead = System.nanoTime();
        }
        appendWaiting();
        long now = System.nanoTime();
        boolean gapTooLong = waiting.stream().anyMatch(h -> now - h.arrivedAt() > GAP_PATIENCE_NANOS);
        if (othersCommitted || gapTooLong || now - lastRead > RECHECK_NANOS) {
            othersCommitted = false;
            lastRead = now;
            List<AlertFeed.FeedEvent> read;
            do {
                read = feed.after(tailEnd, null, null, BATCH);
                read.forEach(this::append);
            } while (read.size() == BATCH);
            appendWaiting();
        }
    }

    /** Appends the handed-over batches that follow the tail's end; drops those it already holds. */
    private void appendWaiting() {
        boolean appended = true;
        while (appended) {
            appended = false;
            for (Iterator<Handed> it = waiting.iterator(); it.hasNext(); ) {
                AlertFeed.Committed batch = it.next().batch();
                List<AlertFeed.FeedEvent> events = batch.events();
                if (events.get(events.size() - 1).position() <= tailEnd) {
                    it.remove(); // read from the history meanwhile
                } else if (batch.previous() == tailEnd) {
                    events.forEach(this::append);
                    it.remove();
                    appended = true;
                }
            }
        }
    }

    private void append(AlertFeed.FeedEvent event) {
        tail.addLast(event);
        tailEnd = event.position();
        while (tail.size() > config.feedMemory()) {
            tailStart = tail.removeFirst().position();
        }
    }

    private void serve(Console console) {
        if (!console.connection.ready()) {
            return;
        }
        try {
            List<AlertFeed.FeedEvent> events;
            if (tailEnd >= 0 && console.position >= tailStart) {
                events = fromTail(console);
            } else {
                // Behind the tail: from the history, until it has caught up.
                events = feed.after(console.position, console.areaId, console.level, BATCH);
                if (!events.isEmpty()) {
                    console.position = events.get(events.size() - 1).position();
                }
                if (events.size() == BATCH) {
                    pump.wakeUp();
                }
            }
            if (!events.isEmpty()) {
                console.connection.send(events);
                console.lastSent = System.nanoTime();
            } else if (System.nanoTime() - console.lastSent > KEEP_ALIVE_NANOS) {
                console.connection.keepAlive();
                console.lastSent = System.nanoTime();
            }
        } catch (SQLException e) {
            // The database is away for a moment: the console keeps its position; the next round retries.
            LOG.debugf("Live feed read failed: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Live feed console dropped: %s", e.toString());
            consoles.remove(console);
            console.connection.fail(e);
        }
    }

    /** What the console shows of the tail after its position, up to {@link #BATCH}; it has then looked that far. */
    private List<AlertFeed.FeedEvent> fromTail(Console console) {
        List<AlertFeed.FeedEvent> shown = new ArrayList<>();
        if (console.position >= tailEnd) {
            return shown;
        }
        Iterator<AlertFeed.FeedEvent> newestFirst = tail.descendingIterator();
        Deque<AlertFeed.FeedEvent> unseen = new ArrayDeque<>();
        while (newestFirst.hasNext()) {
            AlertFeed.FeedEvent event = newestFirst.next();
            if (event.position() <= console.position) {
                break;
            }
            unseen.addFirst(event);
        }
        long looked = console.position;
        for (AlertFeed.FeedEvent event : unseen) {
            if (shown.size() == BATCH) {
                pump.wakeUp();
                break;
            }
            looked = event.position();
            if (event.shownTo(console.areaId, console.level)) {
                shown.add(event);
            }
        }
        console.position = looked;
        return shown;
    }
}
