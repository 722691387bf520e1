package org.gridwatch.dispatch.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gridwatch.contract.v1.TaskEvent;

/**
 * What people do with a task: the states each is allowed from, who may do it, what it needs, and
 * the steps it takes (the state the task enters and the event that records it). Anything else is
 * refused with the reason ({@link #refusal}) and changes nothing.
 */
public enum TaskAction {
    /** The assigned worker takes the task. */
    ACCEPT(true, List.of(Step.to(TaskState.ACCEPTED, TaskEvent.Type.TYPE_ACCEPTED)), TaskState.ASSIGNED),
    /** The assigned worker cannot take it (reason required): it goes to the next best worker. */
    DECLINE(true, List.of(Step.stay(TaskEvent.Type.TYPE_DECLINED)), TaskState.ASSIGNED),
    /** The worker is on site. */
    ARRIVE(true, List.of(Step.to(TaskState.ON_SITE, TaskEvent.Type.TYPE_ARRIVED)), TaskState.ACCEPTED),
    /** The worker has fixed it (note required, photo optional); it waits for verification. */
    RESOLVE(true, List.of(Step.to(TaskState.RESOLVED, TaskEvent.Type.TYPE_RESOLVED)), TaskState.ON_SITE),
    /** Someone other than the resolver checked the fix on site: the task closes. */
    VERIFY(false, List.of(Step.to(TaskState.VERIFIED, TaskEvent.Type.TYPE_VERIFIED),
            Step.to(TaskState.CLOSED, TaskEvent.Type.TYPE_CLOSED)), TaskState.RESOLVED),
    /** The check failed (reason required): the task reopens to the worker who resolved it, who goes again. */
    FAIL_VERIFICATION(false, List.of(Step.to(TaskState.ACCEPTED, TaskEvent.Type.TYPE_VERIFICATION_FAILED)),
            TaskState.RESOLVED),
    /** No longer needed (reason required), for example the alert cleared before arrival. */
    CANCEL(false, List.of(Step.to(TaskState.CANCELLED, TaskEvent.Type.TYPE_CANCELLED)), TaskState.CREATED,
            TaskState.ASSIGNED, TaskState.ACCEPTED, TaskState.ON_SITE, TaskState.BACKLOG),
    /** Set aside because it cannot be solved within its time limits (reason required). */
    BACKLOG(false, List.of(Step.to(TaskState.BACKLOG, TaskEvent.Type.TYPE_BACKLOGGED)), TaskState.CREATED,
            TaskState.ASSIGNED, TaskState.ACCEPTED, TaskState.ON_SITE),
    /** A dispatcher gives the task to a named worker, overriding the automatic choice. */
    ASSIGN(false, List.of(Step.to(TaskState.ASSIGNED, TaskEvent.Type.TYPE_ASSIGNED)), TaskState.CREATED,
            TaskState.ASSIGNED, TaskState.ACCEPTED, TaskState.BACKLOG);

    /**
     * One step of an action: the state the task enters (null: it stays where it is, and the
     * action decides what follows, as a decline reassigns) and the event recording it.
     */
    public record Step(TaskState to, TaskEvent.Type event) {

        static Step to(TaskState state, TaskEvent.Type event) {
            return new Step(state, event);
        }

        static Step stay(TaskEvent.Type event) {
            return new Step(null, event);
        }
    }

    private final boolean byAssignedWorker;
    private final List<Step> steps;
    private final Set<TaskState> from;

    TaskAction(boolean byAssignedWorker, List<Step> steps, TaskState first, TaskState... more) {
        this.byAssignedWorker = byAssignedWorker;
        this.steps = steps;
        this.from = EnumSet.of(first, more);
    }

    /** Only the worker the task is assigned to may do it (from the worker API). */
    public boolean byAssignedWorker() {
        return byAssignedWorker;
    }

    public Set<TaskState> from() {
        return from;
    }

    public boolean allowedFrom(TaskState state) {
        return from.contains(state);
    }

    public List<Step> steps() {
        return steps;
    }

    public boolean needsReason() {
        return this == DECLINE || this == FAIL_VERIFICATION || this == CANCEL || this == BACKLOG || this == RESOLVE;
    }

    /** The path segment of the action: accept, decline, arrive, resolve, verify, fail-verification... */
    public String path() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Why {@code actor} may not take this action on the task as it is, with {@code note}; null when they may. */
    public Refusal refusal(Task task, String actor, String note) {
        if (byAssignedWorker && !actor.equals(task.workerId())) {
            return new Refusal(Refusal.Kind.NOT_YOURS, "Task " + task.taskId() + " is not assigned to " + actor);
        }
        if (!allowedFrom(task.state())) {
            return new Refusal(Refusal.Kind.WRONG_STATE, "Task " + task.taskId() + " is " + task.state() + ": " + path()
                    + " is allowed only when it is " + String.join(" or ", from.stream().map(Enum::name).sorted().toList()));
        }
        if (needsReason() && (note == null || note.isBlank())) {
            return new Refusal(Refusal.Kind.INCOMPLETE, path() + " needs a "
                    + (this == RESOLVE ? "note saying what was done" : "reason"));
        }
        if ((this == VERIFY || this == FAIL_VERIFICATION) && actor.equals(task.resolvedBy())) {
            return new Refusal(Refusal.Kind.SELF_VERIFICATION, "Task " + task.taskId() + " was resolved by "
                    + task.resolvedBy() + ": someone else must verify it");
        }
        return null;
    }

    /** Why an action is refused, and what kind of refusal it is. */
    public record Refusal(Kind kind, String detail) {

        public enum Kind { NOT_YOURS, WRONG_STATE, INCOMPLETE, SELF_VERIFICATION }
    }
}
