package org.gridwatch.alerting.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.gridwatch.contract.v1.AlertEvent;
import org.junit.jupiter.api.Test;

/** The escalation plan and the opening route as plain decisions, without a database. */
class EscalationTest {

    private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");
    private static final Duration RECHECK = Duration.ofSeconds(30);
    private static final Alert.Place FULL = new Alert.Place("d", "s", "c", "g", "b", "u");
    private static final RoutingPolicy POLICY = new RoutingPolicy("p", 1, List.of("elevator.*"), "WARNING", null,
            "grid", true, List.of("pager"), 120, 300, "");

    private static Alert alert(Alert.Place place, String level, String told, Instant due, UUID silencedBy,
                               UUID summarizedBy, String severity) {
        return new Alert(UUID.randomUUID(), "lift-1", "elevator.trapped", AlertState.OPEN, severity, "lift-1", place,
                "trapped", 1, T0, T0, T0, null, null, "d1", null, null, null, null, silencedBy, null, null,
                new Alert.Routing("p", level, true, List.of("pager"), told, 0, due), null, summarizedBy, null);
    }

    private static Escalation.Step due(Alert alert) {
        return Escalation.due(alert, 120, 300, RECHECK, T0.plusSeconds(500));
    }

    @Test
    void anUnacknowledgedAlertGoesUpALevelAtATimeOnThePolicysClockThenIsReminded() {
        Instant due = T0.plusSeconds(120);
        Escalation.Step toCommunity = due(alert(FULL, "grid", "grid", due, null, null, "CRITICAL"));
        assertThat(toCommunity.type()).isEqualTo(AlertEvent.Type.TYPE_ESCALATED);
        assertThat(toCommunity.notifiedLevel()).isEqualTo("community");
        assertThat(toCommunity.level()).isEqualTo("community");
        assertThat(toCommunity.escalations()).isEqualTo(1);
        assertThat(toCommunity.next()).as("from when it was due, not from when it ran").isEqualTo(due.plusSeconds(120));
        assertThat(toCommunity.note()).isEqualTo("Not acknowledged within 120 s: told at community level (c)");

        Escalation.Step toDistrict = due(alert(FULL, "street", "street", due, null, null, "CRITICAL"));
        assertThat(toDistrict.notifiedLevel()).isEqualTo("district");
        assertThat(toDistrict.next()).as("the top is told: reminders follow").isEqualTo(due.plusSeconds(300));

        Escalation.Step reminder = due(alert(FULL, "district", "district", due, null, null, "CRITICAL"));
        assertThat(reminder.type()).isEqualTo(AlertEvent.Type.TYPE_REMINDED);
        assertThat(reminder.escalations()).as("a reminder is not an escalation").isZero();
        assertThat(reminder.next()).isEqualTo(due.plusSeconds(300));
    }

    @Test
    void levelsThePlaceHasNoAreaForAreSkipped() {
        Alert.Place noStreet = new Alert.Place("d", null, "c", "g", "b", "u");
        Escalation.Step step = due(alert(noStreet, "community", "community", T0, null, null, "CRITICAL"));
        assertThat(step.notifiedLevel()).isEqualTo("district");
    }

    @Test
    void aCoveredAlertIsLookedAtAgainAndToldAtItsLevelOnceNothingCoversIt() {
        Escalation.Step covered = due(alert(FULL, "grid", null, T0, UUID.randomUUID(), null, "CRITICAL"));
        assertThat(covered.type()).isNull();
        assertThat(covered.next()).isEqualTo(T0.plusSeconds(500).plus(RECHECK));

        Escalation.Step uncovered = due(alert(FULL, "community", null, T0, null, null, "CRITICAL"));
        assertThat(uncovered.type()).isEqualTo(AlertEvent.Type.TYPE_ESCALATED);
        assertThat(uncovered.notifiedLevel()).as("told at its own level first").isEqualTo("community");
        assertThat(uncovered.escalations()).as("being told at last is not an escalation").isZero();
    }

    @Test
    void anAlertAStormSummarySpeaksForDoesNothing() {
        Escalation.Step step = due(alert(FULL, "grid", null, T0, null, UUID.randomUUID(), "WARNING"));
        assertThat(step.type()).isNull();
        assertThat(step.next()).isNull();
    }

    @Test
    void anOpeningAlertIsToldAtThePolicysLevelUnlessCoveredOrInAStormWhichNeverSwallowsACriticalOne() {
        Alert warning = alert(FULL, null, null, null, null, null, "WARNING");
        OpeningRoute told = OpeningRoute.decide(warning, Optional.of(POLICY), 5, 20, RECHECK, T0);
        assertThat(told.notifiedLevel()).isEqualTo("grid");
        assertThat(told.dispatch()).isTrue();
        assertThat(told.nextEscalationAt()).isEqualTo(T0.plusSeconds(120));

        OpeningRoute storm = OpeningRoute.decide(warning, Optional.of(POLICY), 21, 20, RECHECK, T0);
        assertThat(storm.storm()).isTrue();
        assertThat(storm.notifiedLevel()).isNull();
        assertThat(storm.dispatch()).as("the summary speaks for it").isFalse();
        assertThat(storm.nextEscalationAt()).as("the summary escalates instead").isNull();

        OpeningRoute silenced = OpeningRoute.decide(alert(FULL, null, null, null, UUID.randomUUID(), null, "WARNING"),
                Optional.of(POLICY), 0, 20, RECHECK, T0);
        assertThat(silenced.notifiedLevel()).isNull();
        assertThat(silenced.wantsDispatch()).isTrue();
        assertThat(silenced.dispatch()).as("its task waits until it is told").isFalse();
        assertThat(silenced.nextEscalationAt()).isEqualTo(T0.plus(RECHECK));

        assertThat(OpeningRoute.stormCandidate(alert(FULL, null, null, null, null, null, "CRITICAL"))).isFalse();
        assertThat(OpeningRoute.stormCandidate(warning)).isTrue();
        OpeningRoute unmatched = OpeningRoute.decide(warning, Optional.empty(), 0, 20, RECHECK, T0);
        assertThat(unmatched.level()).isEqualTo("grid");
        assertThat(unmatched.nextEscalationAt()).as("no policy, no escalation").isNull();
    }
}
