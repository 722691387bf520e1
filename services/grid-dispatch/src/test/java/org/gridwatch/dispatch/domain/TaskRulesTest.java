package org.gridwatch.dispatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.gridwatch.contract.v1.TaskEvent;
import org.junit.jupiter.api.Test;

/** The task loop's rules as plain decisions, without a database: who may do what, and what a missed deadline does. */
class TaskRulesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");
    private static final Deadline DEADLINE = new Deadline("d", 1, "*", 1, null, 60, 600, 3600, 7200);
    private static final Task.Place PLACE = new Task.Place("d1", "s1", "c1", "g1", "b1", "u1");

    private static Task task(TaskState state, String worker, String resolvedBy, String escalationLevel) {
        return new Task(UUID.randomUUID(), null, "hotline", "fire.smoke", "CRITICAL", state, worker, PLACE, null, null,
                "u1", "smoke", "fire", "d", null, null, null, resolvedBy, null, null, null, T0.plusSeconds(60), null,
                escalationLevel, null, 0, T0, T0, T0);
    }

    @Test
    void onlyTheAssignedWorkerTakesTheirSteps() {
        Task assigned = task(TaskState.ASSIGNED, "w1", null, null);
        assertThat(TaskAction.ACCEPT.refusal(assigned, "w1", null)).isNull();
        assertThat(TaskAction.ACCEPT.refusal(assigned, "w2", null).kind()).isEqualTo(TaskAction.Refusal.Kind.NOT_YOURS);
        assertThat(TaskAction.ARRIVE.refusal(assigned, "w1", null).kind()).isEqualTo(TaskAction.Refusal.Kind.WRONG_STATE);
        assertThat(TaskAction.ARRIVE.refusal(assigned, "w1", null).detail()).endsWith("only when it is ACCEPTED");
        assertThat(TaskAction.DECLINE.refusal(assigned, "w1", " ").kind()).isEqualTo(TaskAction.Refusal.Kind.INCOMPLETE);
    }

    @Test
    void someoneOtherThanTheResolverVerifiesAndVerifyingClosesTheTask() {
        Task resolved = task(TaskState.RESOLVED, "w1", "w1", null);
        assertThat(TaskAction.VERIFY.refusal(resolved, "w1", null).kind())
                .isEqualTo(TaskAction.Refusal.Kind.SELF_VERIFICATION);
        assertThat(TaskAction.VERIFY.refusal(resolved, "sup-1", null)).isNull();
        assertThat(TaskAction.VERIFY.steps()).extracting(TaskAction.Step::to)
                .containsExactly(TaskState.VERIFIED, TaskState.CLOSED);
        assertThat(TaskAction.FAIL_VERIFICATION.steps()).extracting(TaskAction.Step::event)
                .containsExactly(TaskEvent.Type.TYPE_VERIFICATION_FAILED);
        assertThat(TaskAction.DECLINE.steps().get(0).to()).as("a decline reassigns rather than moving on").isNull();
    }

    @Test
    void aMissedDeadlineTimesAnAssignmentOutAndEscalatesALevelUpWithTheStagesTimeAgain() {
        Task assigned = task(TaskState.ASSIGNED, "w1", null, null);
        assertThat(MissedDeadline.timesOut(assigned)).isTrue();
        assertThat(MissedDeadline.overdueSince(assigned)).isEqualTo(T0.plusSeconds(60));
        Instant now = T0.plusSeconds(61);
        MissedDeadline.Escalation first = MissedDeadline.escalate(assigned, DEADLINE, now);
        assertThat(first.level()).contains(EscalationLevel.COMMUNITY);
        assertThat(first.dueAt()).isEqualTo(now.plus(Duration.ofSeconds(60)));

        Task onSite = task(TaskState.ON_SITE, "w1", null, "STREET");
        assertThat(MissedDeadline.timesOut(onSite)).isFalse();
        assertThat(MissedDeadline.escalate(onSite, DEADLINE, now).level()).contains(EscalationLevel.DISTRICT);
        assertThat(MissedDeadline.escalate(onSite, DEADLINE, now).dueAt()).isEqualTo(now.plusSeconds(3600));

        Task atTheTop = task(TaskState.CREATED, null, null, "DISTRICT");
        MissedDeadline.Escalation none = MissedDeadline.escalate(atTheTop, DEADLINE, now);
        assertThat(none.level()).as("nothing above the district").isEmpty();
        assertThat(none.dueAt()).as("it stays on the overdue list, with no deadline").isNull();
    }

    @Test
    void aStageIsOnTimeWhenItEndsByItsFirstDeadline() {
        Task accepted = task(TaskState.ACCEPTED, "w1", null, null);
        assertThat(StageTime.ofStage(accepted, DEADLINE, T0.plusSeconds(600)).onTime()).isTrue();
        assertThat(StageTime.ofStage(accepted, DEADLINE, T0.plusSeconds(601)).onTime()).isFalse();
        assertThat(StageTime.ofStage(accepted, DEADLINE, T0.plusSeconds(601)).stage()).isEqualTo("arrive");
    }
}
