package org.gridwatch.detection.domain;

import java.time.ZoneId;
import java.util.Collection;

import org.gridwatch.contract.v1.Rule;

/**
 * When a device's silence next needs looking at: the earliest moment one of its no-data or
 * no-activity rules could fall due. Detection keeps one wake-up per device at that moment, so
 * the wall-clock check visits only the devices that are due instead of every device it knows.
 */
public final class SilenceTimers {

    /** How long to wait before looking again at a rule that is overdue but did not raise (suppressed). */
    public static final long RECHECK_MS = 60_000;

    private SilenceTimers() {
    }

    /**
     * The earliest due time (epoch ms) of the given timed rules on this device, or 0 when none is
     * running. A rule already overdue that has not raised (it is suppressed, or the check has
     * not run yet) is due {@code overdueDelayMs} after {@code now}.
     */
    public static long nextDue(Collection<Rule> timedRules, DeviceState state, long now, long overdueDelayMs,
                               ZoneId zone) {
        long next = Long.MAX_VALUE;
        for (Rule rule : timedRules) {
            long due;
            if (rule.hasNoData()) {
                if (state.lastReceivedAt == 0 || state.silenceRaised.containsKey(rule.getId())) {
                    continue;
                }
                // The checks raise once the silence is longer than allowed, hence the millisecond.
                due = state.lastReceivedAt + rule.getNoData().getAfterSeconds() * 1000L + 1;
            } else if (rule.hasNoActivity()) {
                Long last = state.lastActivity.get(rule.getId());
                if (last == null || state.inactivityRaised.containsKey(rule.getId())) {
                    continue;
                }
                due = rule.hasActiveHours() ? NoActivityRule.nextWindowEnd(rule, now, zone)
                        : last + rule.getNoActivity().getAfterSeconds() * 1000L + 1;
            } else {
                continue;
            }
            next = Math.min(next, due <= now ? now + overdueDelayMs : due);
        }
        return next == Long.MAX_VALUE ? 0 : next;
    }

    /** Whether a rule runs on the wall clock rather than on readings. */
    public static boolean isTimed(Rule rule) {
        return rule.hasNoData() || rule.hasNoActivity();
    }
}
