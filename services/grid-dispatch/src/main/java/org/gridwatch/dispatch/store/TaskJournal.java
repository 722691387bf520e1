package org.gridwatch.dispatch.store;

import static org.gridwatch.plumbing.sql.Rows.nullToEmpty;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.dispatch.domain.StageTime;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.plumbing.outbox.Outbox;
import org.jdbi.v3.core.Handle;

/**
 * Where every task event goes, in the transaction of the change that caused it: the task's
 * history (for the API and the phones' live feed) and the outbox (for Kafka). Task events are
 * written one transaction at a time, from the first to commit, so that their positions in the
 * history ({@code seq}) and the outbox are in commit order: a reader that has read up to a
 * position never sees an earlier one commit later. Tasks change a few times a minute per grid,
 * so the wait is short. The commit is notified on {@link #COMMIT_CHANNEL}.
 */
@ApplicationScoped
public class TaskJournal {

    /** The database schema grid-dispatch owns. */
    public static final String SCHEMA = "dispatch";

    /** The actor of the changes grid-dispatch makes by itself. */
    static final String SYSTEM_ACTOR = "system:grid-dispatch";

    /**
     * Notified when a transaction that wrote task events commits: wakes the outbox relay and the
     * phones' live feed on every replica.
     */
    public static final String COMMIT_CHANNEL = "gridwatch_task_commits";

    private final Outbox outbox = new Outbox(SCHEMA);

    public Outbox outbox() {
        return outbox;
    }

    /** What an event adds to the task: its type, who did it, what they wrote, where, the request it answers. */
    record Act(TaskEvent.Type type, String actor, String note, Double latitude, Double longitude, String requestId) {

        static Act by(TaskEvent.Type type, String actor, String note) {
            return new Act(type, actor, note, null, null, null);
        }

        Act as(TaskEvent.Type other) {
            return new Act(other, actor, note, latitude, longitude, requestId);
        }
    }

    /** Writes the event of a change (the task as it is after it) to the task's history and the outbox. */
    TaskEvent record(Handle handle, Task task, Act act, Instant at) throws SQLException {
        return record(handle, task, act, at, null);
    }

    /** As {@link #record(Handle, Task, Act, Instant)}, for an event that ends a stage. */
    TaskEvent record(Handle handle, Task task, Act act, Instant at, StageTime stageTime) throws SQLException {
        TaskEvent.Builder event = TaskEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setType(act.type()).setTaskId(task.taskId().toString()).setAlertId(nullToEmpty(task.alertId()))
                .setState(TaskEvent.State.valueOf("STATE_" + task.state().name()))
                .setWorkerId(nullToEmpty(task.workerId())).setLocation(TaskRows.locationOf(task.place()))
                .setKind(task.kind()).setSeverity(Severity.valueOf(task.severity())).setOccurredAt(Timestamps.of(at))
                .setActor(act.actor()).setChannel(task.channel())
                .setReason(act.type() == TaskEvent.Type.TYPE_ASSIGNED || act.type() == TaskEvent.Type.TYPE_CREATED
                        ? nullToEmpty(task.assignmentReason()) : nullToEmpty(act.note()))
                .setNote(nullToEmpty(act.note())).setSubjectId(nullToEmpty(task.subjectId()))
                .setSummary(nullToEmpty(task.summary()));
        if (act.latitude() != null && act.longitude() != null) {
            event.setLatitude(act.latitude()).setLongitude(act.longitude());
        }
        if (act.type() == TaskEvent.Type.TYPE_ESCALATED) {
            event.setEscalationLevel(nullToEmpty(task.escalationLevel())).setEscalatedTo(nullToEmpty(task.escalatedTo()));
        }
        if (task.dueAt() != null) {
            event.setDueAt(Timestamps.of(task.dueAt()));
        }
        if (stageTime != null) {
            event.setStage(stageTime.stage()).setStageSeconds(stageTime.took().toNanos() / 1e9)
                    .setStageOnTime(stageTime.onTime());
        }
        TaskEvent built = event.build();
        try (PreparedStatement lock = handle.getConnection().prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended('gridwatch.task-journal', 0)), pg_notify(?, '')")) {
            lock.setString(1, COMMIT_CHANNEL);
            lock.execute();
        }
        handle.createUpdate("""
                        INSERT INTO dispatch.task_history (event_id, task_id, type, actor, occurred_at, state, worker_id,
                            latitude, longitude, note, request_id, stage, stage_seconds, on_time)
                        VALUES (:eventId, :taskId, :type, :actor, :at, :state, :workerId, :latitude, :longitude, :note,
                            :requestId, :stage, :stageSeconds, :onTime)""")
                .bind("eventId", UUID.fromString(built.getEventId())).bind("taskId", task.taskId())
                .bind("type", act.type().name().substring("TYPE_".length())).bind("actor", act.actor())
                .bind("at", at).bind("state", task.state().name()).bind("workerId", task.workerId())
                .bind("latitude", act.latitude()).bind("longitude", act.longitude()).bind("note", act.note())
                .bind("requestId", act.requestId())
                .bind("stage", stageTime == null ? null : stageTime.stage())
                .bind("stageSeconds", stageTime == null ? null : stageTime.took().toNanos() / 1e9)
                .bind("onTime", stageTime == null ? null : stageTime.onTime())
                .execute();
        outbox.addAll(handle.getConnection(), List.of(new Outbox.Entry(Topics.TASK_EVENTS, built.getTaskId(),
                built.toByteArray())));
        return built;
    }
}
