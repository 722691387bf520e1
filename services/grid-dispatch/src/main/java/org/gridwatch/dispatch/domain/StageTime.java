package org.gridwatch.dispatch.domain;

import java.time.Duration;
import java.time.Instant;

import org.gridwatch.contract.v1.TaskEvent;

/**
 * How long the stage an event ends took, and whether it ended by the stage's first deadline (an
 * escalation gives more time, not a second chance at being on time). The closing event ends the
 * whole task, on time when no deadline of it was ever missed. Kept with the event, so figures of
 * a past period never change.
 */
public record StageTime(String stage, Duration took, boolean onTime) {

    /** Whether an event of this type ends a stage (accept, arrive, resolve, verify). */
    public static boolean endsStage(TaskEvent.Type type) {
        return switch (type) {
            case TYPE_ACCEPTED, TYPE_ARRIVED, TYPE_RESOLVED, TYPE_VERIFIED -> true;
            default -> false;
        };
    }

    /** The stage the task was in ({@code before}) ended now. */
    public static StageTime ofStage(Task before, Deadline deadline, Instant now) {
        Duration took = Duration.between(before.stageStartedAt(), now);
        Duration window = deadline.window(before.state());
        return new StageTime(Deadline.stage(before.state()), took, window == null || took.compareTo(window) <= 0);
    }

    /** The whole task, closed now; {@code everLate}: it timed out, escalated or ended a stage late. */
    public static StageTime ofTask(Task before, boolean everLate, Instant now) {
        return new StageTime("close", Duration.between(before.createdAt(), now), !everLate);
    }
}
