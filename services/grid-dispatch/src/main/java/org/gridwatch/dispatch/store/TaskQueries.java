package org.gridwatch.dispatch.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskState;
import org.jdbi.v3.core.Jdbi;

/** Tasks as the API and the phones' live feed read them. */
@ApplicationScoped
public class TaskQueries {

    @Inject
    Jdbi jdbi;

    /** What a list is filtered by; null for any. {@code areaId} matches any level of a task's place. */
    public record Filter(String alertId, String workerId, TaskState state, String areaId) {

        public static Filter ofWorker(String workerId) {
            return new Filter(null, workerId, null, null);
        }
    }

    /** The photo sent with the resolution, with its media type. */
    public record Photo(byte[] bytes, String type) {
    }

    /** One step of a task as its history shows it. */
    public record HistoryEntry(UUID eventId, String type, String actor, Instant occurredAt, String state,
                               String workerId, Double latitude, Double longitude, String note) {
    }

    /** A task event as a phone is told it: its position in the history, what happened, and the task as it is now. */
    public record Change(long position, String event, String actor, Instant occurredAt, String note,
                         String workerId, Task task) {
    }

    /**
     * Tasks, newest first; {@code overdueOnly} gives the overdue list (a stage deadline missed),
     * longest overdue first.
     */
    public List<Task> list(Filter filter, boolean overdueOnly, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT %s FROM dispatch.task
                        WHERE (:alertId::text IS NULL OR alert_id = :alertId)
                          AND (:workerId::text IS NULL OR worker_id = :workerId)
                          AND (:state::text IS NULL OR state = :state)
                          AND (:areaId::text IS NULL OR :areaId IN (district_id, street_id, community_id, grid_id,
                               building_id, unit_id))
                          AND (NOT :overdueOnly OR overdue_since IS NOT NULL)
                        ORDER BY CASE WHEN :overdueOnly THEN overdue_since END, created_at DESC
                        LIMIT :limit""".formatted(TaskRows.COLUMNS))
                .bind("alertId", filter.alertId()).bind("workerId", filter.workerId())
                .bind("state", filter.state() == null ? null : filter.state().name()).bind("areaId", filter.areaId())
                .bind("overdueOnly", overdueOnly).bind("limit", limit)
                .map(TaskRows.TASK).list());
    }

    public Optional<Task> get(UUID taskId) {
        return jdbi.withHandle(handle -> TaskRows.find(handle, taskId, false));
    }

    /** The photo sent with the resolution; empty when there is none. */
    public Optional<Photo> photo(UUID taskId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT photo, photo_type FROM dispatch.task WHERE task_id = :id AND photo IS NOT NULL")
                .bind("id", taskId).map((row, context) -> new Photo(row.getBytes(1), row.getString(2))).findOne());
    }

    /** A task's steps, oldest first; empty for an unknown task. */
    public List<HistoryEntry> history(UUID taskId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT event_id, type, actor, occurred_at, state, worker_id, latitude, longitude, note
                        FROM dispatch.task_history WHERE task_id = :id ORDER BY seq""")
                .bind("id", taskId)
                .map((rows, context) -> new HistoryEntry(rows.getObject(1, UUID.class), rows.getString(2),
                        rows.getString(3), rows.getTimestamp(4).toInstant(), rows.getString(5), rows.getString(6),
                        rows.getObject(7, Double.class), rows.getObject(8, Double.class), rows.getString(9)))
                .list());
    }

    /**
     * Task events after {@code position}, oldest first, each with its task as it is now. Positions
     * are in commit order ({@link TaskJournal}), so reading on from the last one misses nothing.
     */
    public List<Change> changesAfter(long position, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT h.seq, h.type, h.actor, h.occurred_at, "
                        + "h.note, h.worker_id AS event_worker_id, " + TaskRows.columnsOf("t")
                        + " FROM dispatch.task_history h JOIN dispatch.task t ON t.task_id = h.task_id"
                        + " WHERE h.seq > :position ORDER BY h.seq LIMIT :limit")
                .bind("position", position).bind("limit", limit)
                .map((rows, context) -> new Change(rows.getLong("seq"), rows.getString("type"), rows.getString("actor"),
                        rows.getTimestamp("occurred_at").toInstant(), rows.getString("note"),
                        rows.getString("event_worker_id"), TaskRows.toTask(rows)))
                .list());
    }

    /** The position of the newest task event now. */
    public long latestPosition() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT coalesce(max(seq), 0) FROM dispatch.task_history")
                .mapTo(Long.class).one());
    }
}
