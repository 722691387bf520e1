package org.gridwatch.alerting.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.gridwatch.contract.v1.AlertEvent;

/**
 * Where an unacknowledged alert is escalated: what its escalation timer does when it falls due.
 * An open alert was told at its policy's level when it opened; after {@code escalateAfterSeconds}
 * without acknowledgement it is told one level up (grid, community, street, district, skipping
 * levels its place has no area for), and once the district has been told it is reminded every
 * {@code remindEverySeconds} until someone acknowledges. Each step runs on the policy's clock from
 * when the previous one was due, so a slow or restarted service catches up rather than drifting.
 * An alert that a silence or an inhibition covers is looked at again after a while and told once
 * nothing covers it; one a storm summary speaks for does nothing (the summary escalates instead).
 *
 * <p>The timers themselves are columns of the alerts, taken by {@code store.Escalations}; the
 * first one is set when the alert opens ({@link OpeningRoute}).
 */
public final class Escalation {

    /**
     * What a due timer does to its alert: the level told from now on (null: nobody yet), the
     * level shown (null: unchanged), the next timer (null: none), whether it counts as an
     * escalation, and the event it makes (type null: none) with its note.
     */
    public record Step(String notifiedLevel, String level, Instant next, int escalations, AlertEvent.Type type,
                       String note) {
    }

    private Escalation() {
    }

    /**
     * @param escalateAfterSeconds the policy's wait before each level up, frozen on the alert when it opened
     * @param remindEverySeconds   the policy's wait between reminders once the top is told (null: none)
     * @param coveredRecheck       how soon an alert still covered by a silence or an inhibition is looked at again
     */
    public static Step due(Alert alert, Integer escalateAfterSeconds, Integer remindEverySeconds,
                           Duration coveredRecheck, Instant now) {
        if (alert.summarizedBy() != null) {
            return new Step(null, null, null, 0, null, null);
        }
        if (alert.silencedBy() != null || alert.inhibitedBy() != null) {
            return new Step(alert.routing().notifiedLevel(), null, now.plus(coveredRecheck), 0, null, null);
        }
        Level level = Level.parse(alert.routing().level()).orElse(Level.GRID);
        Optional<Level> told = Level.parse(alert.routing().notifiedLevel());
        Level tell;
        String note;
        AlertEvent.Type type = AlertEvent.Type.TYPE_ESCALATED;
        if (told.isEmpty()) {
            // Nobody was told when it opened (a silence or an inhibition covered it); nothing does now.
            tell = level;
            note = "No longer silenced or hidden: told at " + describe(tell, alert);
        } else if (told.get().next(alert.place()).isPresent()) {
            tell = told.get().next(alert.place()).get();
            note = "Not acknowledged within " + escalateAfterSeconds + " s: told at " + describe(tell, alert);
        } else {
            tell = told.get();
            type = AlertEvent.Type.TYPE_REMINDED;
            note = "Still not acknowledged: reminder to " + describe(tell, alert);
        }
        Integer wait = tell.next(alert.place()).isPresent() ? escalateAfterSeconds : remindEverySeconds;
        Instant next = wait == null ? null : alert.routing().nextEscalationAt().plusSeconds(wait);
        Level shown = tell.ordinal() > level.ordinal() ? tell : level;
        return new Step(tell.id(), shown.id(), next, type == AlertEvent.Type.TYPE_ESCALATED && told.isPresent() ? 1 : 0,
                type, note);
    }

    private static String describe(Level level, Alert alert) {
        return level.id() + " level (" + level.areaOf(alert.place()) + ")";
    }
}
