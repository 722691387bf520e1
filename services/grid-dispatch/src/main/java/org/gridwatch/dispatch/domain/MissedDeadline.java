package org.gridwatch.dispatch.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What happens when a task misses the deadline of its stage. An assignment not accepted in time
 * times out and the task goes to the next best worker (never back to the one who let it pass).
 * Every missed deadline puts the task on the overdue list (from its first missed deadline on)
 * and escalates it one level up, to the community's supervisor, then the street's dispatcher,
 * then the district's commander, who gets the stage's time again; past the district it stays on
 * the overdue list, and a worker it was just reassigned to still gets the accept time.
 *
 * <p>The deadlines are columns of the tasks, taken by {@code store.DeadlineRunner}.
 */
public final class MissedDeadline {

    /** The escalation a missed deadline makes: the level (empty past the top) and the task's next deadline. */
    public record Escalation(Optional<EscalationLevel> level, Instant dueAt) {
    }

    private MissedDeadline() {
    }

    /** Why the task is overdue, as its events say. */
    public static String note(Task task) {
        return Deadline.stage(task.state()) + " deadline missed (due " + task.dueAt() + ")";
    }

    /** Whether the missed deadline takes the task away from its worker: nobody accepted it in time. */
    public static boolean timesOut(Task task) {
        return task.state() == TaskState.ASSIGNED;
    }

    /** Since when the task is overdue: its first missed deadline. */
    public static Instant overdueSince(Task task) {
        return task.overdueSince() != null ? task.overdueSince() : task.dueAt();
    }

    /** The escalation, for the task as it is once any time-out has reassigned it. */
    public static Escalation escalate(Task current, Deadline deadline, Instant now) {
        Optional<EscalationLevel> next = EscalationLevel.after(current.escalationLevel(), current.place());
        if (next.isPresent()) {
            Duration window = deadline.window(current.state());
            return new Escalation(next, window == null ? null : now.plus(window));
        }
        return new Escalation(next, current.state() == TaskState.ASSIGNED ? current.dueAt() : null);
    }
}
