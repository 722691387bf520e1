package org.gridwatch.dispatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.store.TaskJournal;
import org.gridwatch.dispatch.store.TaskQueries;
import org.gridwatch.plumbing.commit.CommitListener;
import org.gridwatch.plumbing.commit.Pump;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Pushes each worker's tasks to their phones as they change, whichever replica changed them: a
 * phone that connects gets its open tasks at once ({@code CURRENT} frames), then a frame per event
 * of a task while it is theirs (assigned to them, escalated, cancelled, taken back after a decline
 * or a time-out, reopened after a failed verification). Every frame carries the task as it is, so
 * the last frame of a task is its state; a phone that reconnects starts again from its open tasks.
 * One reader follows the task history for all phones of this replica, woken by each commit.
 */
@ApplicationScoped
public class WorkerFeed {

    private static final Logger LOG = Logger.getLogger(WorkerFeed.class);
    private static final int BATCH = 500;

    /** What a phone is sent: an event of one of its tasks (or CURRENT for a task it has), with the task now. */
    public record Frame(String event, Long position, String actor, Instant occurredAt, String note, Task task) {
    }

    @Inject
    TaskQueries tasks;

    @Inject
    CommitListener commits;

    @Inject
    ObjectMapper json;

    /** Connected phones by worker; a phone's sends are serialized on its own lock. */
    private final Map<String, Set<WebSocketConnection>> phones = new ConcurrentHashMap<>();
    private volatile long position = -1;
    private volatile Pump pump;

    void start(@Observes StartupEvent start) {
        pump = commits.pump(TaskJournal.COMMIT_CHANNEL, "worker-feed", Duration.ofSeconds(1), Duration.ofMillis(5),
                this::push);
    }

    /**
     * A phone connected: from now on it gets its tasks' events; first, its open tasks as they
     * are. Both are sent under the phone's lock, so an event read before the open tasks is sent
     * after them and a later event after that: the last frame of each task is its latest state.
     */
    void connect(String workerId, WebSocketConnection phone) {
        synchronized (phone) {
            phones.computeIfAbsent(workerId, w -> ConcurrentHashMap.newKeySet()).add(phone);
            for (Task task : tasks.list(TaskQueries.Filter.ofWorker(workerId), false, 1_000)) {
                if (task.state().open()) {
                    send(phone, new Frame("CURRENT", null, null, null, null, task));
                }
            }
        }
        pump.wakeUp();
    }

    void disconnect(String workerId, WebSocketConnection phone) {
        phones.computeIfPresent(workerId, (w, set) -> {
            set.remove(phone);
            return set.isEmpty() ? null : set;
        });
    }

    /** Reads the events committed since the last run and sends each to the phones of its worker. */
    private void push() {
        try {
            if (position < 0) {
                position = tasks.latestPosition();
            }
            List<TaskQueries.Change> changes = tasks.changesAfter(position, BATCH);
            for (TaskQueries.Change change : changes) {
                Set<WebSocketConnection> theirs = change.workerId() == null ? null : phones.get(change.workerId());
                if (theirs != null) {
                    Frame frame = new Frame(change.event(), change.position(), change.actor(), change.occurredAt(),
                            change.note(), change.task());
                    for (WebSocketConnection phone : theirs) {
                        synchronized (phone) {
                            send(phone, frame);
                        }
                    }
                }
                position = change.position();
            }
            if (changes.size() == BATCH) {
                pump.wakeUp();
            }
        } catch (RuntimeException e) {
            // The database is away for a moment: the position is kept and the next run reads on from it.
            LOG.debugf("Worker feed read failed: %s", e.toString());
        }
    }

    private void send(WebSocketConnection phone, Frame frame) {
        if (!phone.isOpen()) {
            return;
        }
        try {
            phone.sendText(json.writeValueAsString(frame)).subscribe().with(sent -> { },
                    failure -> LOG.debugf("A phone missed a frame (it gets its open tasks again on reconnect): %s",
                            failure.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Task frame not serializable", e);
        }
    }
}
