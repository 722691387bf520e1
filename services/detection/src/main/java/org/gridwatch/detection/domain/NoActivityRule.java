package org.gridwatch.detection.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.registryview.LocalTimes;

/**
 * Evaluates no-activity rules, such as I1 (the door of a person living alone not opened in 24 h)
 * and I2 (no infrared motion in 24 h): a wall-clock timer from the last reading that showed
 * activity, or from the device's first reading. Activity is dated by the device's observed time,
 * capped at the receipt time, so a buffered upload counts when it happened. The next activity
 * clears the detection.
 * <p>
 * With active hours the rule watches a daily window instead (I4, "no motion between 06:00 and
 * 12:00"): at the window's end it raises when no activity was seen since the window began.
 * <p>
 * Silence of the device itself is not inactivity: while the device has sent nothing for longer
 * than its hold (three sampling intervals of its type) the rule waits, leaving the silence to the
 * no-data rules; when it is back, the count starts afresh from its return, since what happened
 * meanwhile is unknown.
 */
public final class NoActivityRule {

    private NoActivityRule() {
    }

    /** Records activity and the first-reading baseline; returns clears for rules the activity ends. */
    public static List<Detection> onReading(List<Rule> rules, DeviceState state, Reading reading, String areaId,
                                            Instant now, long previousReceivedAt, long holdMs) {
        long receivedAt = reading.hasReceivedAt() ? Timestamps.toInstant(reading.getReceivedAt()).toEpochMilli()
                : now.toEpochMilli();
        long observedAt = Math.min(Timestamps.toInstant(reading.getObservedAt()).toEpochMilli(), receivedAt);
        boolean backFromSilence = holdMs > 0 && previousReceivedAt > 0 && receivedAt - previousReceivedAt > holdMs;
        List<Detection> out = new ArrayList<>();
        for (Rule rule : rules) {
            Rule.NoActivity condition = rule.getNoActivity();
            Double value = reading.getValuesMap().get(condition.getField());
            boolean active = value != null && value >= condition.getAtOrAbove();
            Long last = state.lastActivity.get(rule.getId());
            if (last == null || (backFromSilence && !active && receivedAt > last)) {
                state.lastActivity.put(rule.getId(), active ? observedAt : receivedAt);
            } else if (active && observedAt > last) {
                state.lastActivity.put(rule.getId(), observedAt);
            }
            Long raisedSince = state.inactivityRaised.get(rule.getId());
            if (active && raisedSince != null) {
                state.inactivityRaised.remove(rule.getId());
                out.add(detection(rule, state.deviceId, reading, areaId, now, Detection.Phase.CLEARED, raisedSince,
                        condition.getField() + " activity again"));
            }
        }
        return out;
    }

    /**
     * Called on the wall clock: raises once when the rule's time has passed without activity,
     * unless the device itself has been silent longer than {@code holdMs} (0: no hold).
     */
    public static Optional<Detection> check(Rule rule, DeviceState state, String areaId, Instant now, long holdMs,
                                            ZoneId zone) {
        Long last = state.lastActivity.get(rule.getId());
        if (last == null || state.inactivityRaised.containsKey(rule.getId())) {
            return Optional.empty();
        }
        if (holdMs > 0 && now.toEpochMilli() - state.lastReceivedAt > holdMs) {
            return Optional.empty();
        }
        if (rule.hasActiveHours()) {
            return checkWindow(rule, state, areaId, now, zone, last);
        }
        long allowed = rule.getNoActivity().getAfterSeconds() * 1000L;
        if (now.toEpochMilli() - last <= allowed) {
            return Optional.empty();
        }
        state.inactivityRaised.put(rule.getId(), last);
        Reading lastReading = Detections.lastReading(state);
        return Optional.of(detection(rule, state.deviceId, lastReading, areaId, now, Detection.Phase.RAISED, last,
                "No " + rule.getNoActivity().getField() + " activity for "
                        + Duration.ofMillis(now.toEpochMilli() - last).toHours() + " h (allowed "
                        + Duration.ofMillis(allowed).toHours() + " h)"));
    }

    /** A window rule: raises once its latest window has ended with no activity seen since the window began. */
    private static Optional<Detection> checkWindow(Rule rule, DeviceState state, String areaId, Instant now, ZoneId zone,
                                                   long lastActivity) {
        long[] window = LocalTimes.occurrences(rule.getActiveHours().getStart(), rule.getActiveHours().getEnd(), now,
                zone)[0];
        // Activity at or after the window's start (or watching that began later) means nothing is missing.
        if (window == null || lastActivity >= window[0]) {
            return Optional.empty();
        }
        state.inactivityRaised.put(rule.getId(), window[0]);
        return Optional.of(detection(rule, state.deviceId, Detections.lastReading(state), areaId, now,
                Detection.Phase.RAISED, window[0], "No " + rule.getNoActivity().getField() + " activity between "
                        + rule.getActiveHours().getStart() + " and " + rule.getActiveHours().getEnd()));
    }

    /** When a window rule next needs a look: just after its next window ends. */
    public static long nextWindowEnd(Rule rule, long nowMs, ZoneId zone) {
        return LocalTimes.occurrences(rule.getActiveHours().getStart(), rule.getActiveHours().getEnd(),
                Instant.ofEpochMilli(nowMs), zone)[1][1] + 1;
    }

    private static Detection detection(Rule rule, String deviceId, Reading evidenceReading, String areaId, Instant now,
                                       Detection.Phase phase, long since, String summary) {
        Rule.NoActivity condition = rule.getNoActivity();
        Evidence.Builder evidence = Evidence.newBuilder().putThresholds("afterSeconds", condition.getAfterSeconds())
                .putThresholds(condition.getField() + ".atOrAbove", condition.getAtOrAbove());
        if (evidenceReading != null) {
            evidence.addReadings(evidenceReading);
        }
        Severity severity = Detections.orDefault(condition.getSeverity(), Severity.WARNING);
        String id = rule.getId() + ":" + deviceId + ":" + since + (phase == Detection.Phase.CLEARED ? ":clear" : "");
        return Detections.of(rule, id, phase, severity, deviceId, deviceId, areaId, now, since, evidence, summary);
    }

}
