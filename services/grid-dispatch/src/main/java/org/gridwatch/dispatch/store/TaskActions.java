package org.gridwatch.dispatch.store;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.dispatch.domain.Deadline;
import org.gridwatch.dispatch.domain.StageTime;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskAction;
import org.gridwatch.dispatch.domain.TaskState;
import org.gridwatch.plumbing.api.Refusal;
import org.gridwatch.registryview.RegistryState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What people do with tasks ({@link TaskAction}: accept, decline, arrive, resolve, verify, fail
 * verification, cancel, backlog, assign by hand), and the cancellation of a task whose alert went
 * away. Every change locks the task, answers a retried request with the task as it is, refuses
 * what is not allowed, and writes its events in the same transaction.
 */
@ApplicationScoped
public class TaskActions {

    @Inject
    Jdbi jdbi;

    @Inject
    TaskJournal journal;

    @Inject
    TaskAssigner assigner;

    @Inject
    Clock clock;

    /** What comes with an action: the phone's request id (a retry changes nothing), a note, a position, a photo, a worker. */
    public record Request(String requestId, String note, Double latitude, Double longitude, byte[] photo,
                          String photoType, String workerId) {

        public static Request note(String note) {
            return new Request(null, note, null, null, null, null, null);
        }
    }

    /** The task after an action, the events it wrote, and whether it was a retry of a request already done. */
    public record Outcome(Task task, List<TaskEvent> events, boolean replayed) {
    }

    /**
     * Applies an action of a person to a task: locks it, answers a retried request with the task as
     * it is, refuses what is not allowed (state, actor, missing reason), and writes the events.
     */
    @Transactional(rollbackOn = Exception.class)
    public Outcome act(UUID taskId, String actor, TaskAction action, Request request, RegistryState registry)
            throws SQLException {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            Task task = TaskRows.find(handle, taskId, true).orElseThrow(() -> new TaskNotFoundException(taskId));
            if (request.requestId() != null && alreadyDone(handle, taskId, actor, request.requestId())) {
                return new Outcome(task, List.of(), true);
            }
            TaskAction.Refusal refusal = action.refusal(task, actor, request.note());
            if (refusal != null) {
                throw refused(refusal);
            }
            Worker assignee = action == TaskAction.ASSIGN ? registry.worker(request.workerId())
                    .orElseThrow(() -> Refusal.invalid("No worker '" + request.workerId() + "' in the registry")) : null;
            Deadline deadline = DeadlineTable.of(handle, task);
            TaskJournal.Act act = new TaskJournal.Act(null, actor, request.note(), request.latitude(),
                    request.longitude(), request.requestId());
            writeFields(handle, task, action, request, actor);
            List<TaskEvent> events = new ArrayList<>();
            Task before = task;
            for (TaskAction.Step step : action.steps()) {
                if (action == TaskAction.ASSIGN) {
                    String reason = "assigned by " + actor + (request.note() == null ? "" : ": " + request.note());
                    events.add(assigner.giveTo(handle, taskId, assignee.getId(), reason, deadline, now,
                            act.as(step.event())));
                } else if (step.to() == null) {
                    // A decline: recorded on the task as it is, then it goes to the next best worker.
                    events.add(journal.record(handle, TaskRows.current(handle, taskId), act.as(step.event()), now));
                    events.addAll(assigner.assign(handle, TaskRows.current(handle, taskId), registry, deadline, now));
                } else {
                    TaskJournal.Act stepAct = step.event() == TaskEvent.Type.TYPE_CLOSED
                            ? new TaskJournal.Act(step.event(), actor, request.note(), null, null, null)
                            : act.as(step.event());
                    StageTime stageTime = stageTime(handle, before, step.event(), deadline, now);
                    before = TaskRows.enter(handle, taskId, step.to(), deadline, now);
                    events.add(journal.record(handle, before, stepAct, now, stageTime));
                }
            }
            return new Outcome(TaskRows.current(handle, taskId), events, false);
        });
    }

    /** What the action writes on the task besides its state: who resolved or verified, the note, the reason. */
    private static void writeFields(Handle handle, Task task, TaskAction action, Request request, String actor) {
        String sql = switch (action) {
            case RESOLVE -> """
                    UPDATE dispatch.task SET resolved_by = :actor, resolution_note = :note, photo = :photo,
                        photo_type = :photoType WHERE task_id = :id""";
            case VERIFY -> "UPDATE dispatch.task SET verified_by = :actor WHERE task_id = :id";
            // Back to the worker who resolved it, who goes again; the next resolve may be theirs again.
            case FAIL_VERIFICATION -> """
                    UPDATE dispatch.task SET reason = :note, resolved_by = NULL, resolution_note = NULL
                    WHERE task_id = :id""";
            case CANCEL, BACKLOG, DECLINE -> "UPDATE dispatch.task SET reason = :note WHERE task_id = :id";
            default -> null;
        };
        if (sql != null) {
            handle.createUpdate(sql).bind("actor", actor).bind("note", request.note()).bind("photo", request.photo())
                    .bind("photoType", request.photoType()).bind("id", task.taskId()).execute();
        }
    }

    /**
     * An alert resolved before anyone arrived: its task (not yet on site) is cancelled with the
     * reason. A task already on site goes on: the worker is there and reports what they found.
     */
    @Transactional(rollbackOn = Exception.class)
    public List<TaskEvent> cancelForAlert(String alertId, String reason) throws SQLException {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            Optional<Task> task = handle.createQuery("SELECT " + TaskRows.COLUMNS + """
                             FROM dispatch.task WHERE alert_id = :alertId AND state IN ('CREATED', 'ASSIGNED', 'ACCEPTED')
                            FOR UPDATE""")
                    .bind("alertId", alertId).map(TaskRows.TASK).findOne();
            if (task.isEmpty()) {
                return List.<TaskEvent>of();
            }
            Task before = task.get();
            handle.createUpdate("UPDATE dispatch.task SET reason = :reason WHERE task_id = :id")
                    .bind("reason", reason).bind("id", before.taskId()).execute();
            Deadline deadline = DeadlineTable.of(handle, before);
            Task cancelled = TaskRows.enter(handle, before.taskId(), TaskState.CANCELLED, deadline, now);
            return List.of(journal.record(handle, cancelled, TaskJournal.Act.by(TaskEvent.Type.TYPE_CANCELLED,
                    TaskJournal.SYSTEM_ACTOR, reason), now));
        });
    }

    /** The stage the event ends, with its time; null for events that end none. */
    private static StageTime stageTime(Handle handle, Task before, TaskEvent.Type type, Deadline deadline,
                                       Instant now) {
        if (StageTime.endsStage(type)) {
            return StageTime.ofStage(before, deadline, now);
        }
        if (type == TaskEvent.Type.TYPE_CLOSED) {
            boolean everLate = handle.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM dispatch.task_history
                                WHERE task_id = :id AND (type IN ('TIMED_OUT', 'ESCALATED') OR on_time = false))""")
                    .bind("id", before.taskId()).mapTo(Boolean.class).one();
            return StageTime.ofTask(before, everLate, now);
        }
        return null;
    }

    private static boolean alreadyDone(Handle handle, UUID taskId, String actor, String requestId) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM dispatch.task_history
                            WHERE task_id = :id AND actor = :actor AND request_id = :requestId)""")
                .bind("id", taskId).bind("actor", actor).bind("requestId", requestId).mapTo(Boolean.class).one();
    }

    private static Refusal refused(TaskAction.Refusal refusal) {
        return switch (refusal.kind()) {
            case NOT_YOURS -> new Refusal(403, "Not your task", refusal.detail());
            case SELF_VERIFICATION -> new Refusal(403, "The resolver cannot verify", refusal.detail());
            case WRONG_STATE -> new Refusal(409, "Not allowed in the task's state", refusal.detail());
            case INCOMPLETE -> Refusal.invalid(refusal.detail());
        };
    }

    /** No task has this id. */
    public static final class TaskNotFoundException extends Refusal {
        public TaskNotFoundException(UUID taskId) {
            super(404, "Unknown task", "No task " + taskId);
        }
    }

    /** A worker asking for a task that is not assigned to them. */
    public static final class NotYoursException extends Refusal {
        public NotYoursException(Task task, String actor) {
            super(403, "Not your task", "Task " + task.taskId() + " is not assigned to " + actor);
        }
    }
}
