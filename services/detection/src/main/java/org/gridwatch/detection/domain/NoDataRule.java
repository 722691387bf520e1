package org.gridwatch.detection.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;

/**
 * Evaluates no-data rules: a device that has sent nothing for the rule's time. Checked on the
 * wall clock, so silence itself is detected; measured from the bridge's receipt time, so catching
 * up after a restart does not look like silence. The next reading clears every such rule.
 */
public final class NoDataRule {

    private NoDataRule() {
    }

    /** Records the reading; returns a clear detection for each no-data rule that was raised. */
    public static List<Detection> onReading(DeviceState state, Reading reading, Map<String, Rule> rules, String areaId,
                                            Instant now) {
        long receivedAt = reading.hasReceivedAt() ? Timestamps.toInstant(reading.getReceivedAt()).toEpochMilli()
                : now.toEpochMilli();
        if (receivedAt >= state.lastReceivedAt) {
            state.lastReceivedAt = receivedAt;
            state.lastReading = reading.toByteArray();
        }
        if (state.silenceRaised.isEmpty()) {
            return List.of();
        }
        List<Detection> cleared = new ArrayList<>();
        for (Map.Entry<String, Long> raised : state.silenceRaised.entrySet()) {
            Rule rule = rules.get(raised.getKey());
            if (rule != null) {
                cleared.add(detection(rule, state, areaId, now, Detection.Phase.CLEARED, raised.getValue(),
                        "Device " + state.deviceId + " is sending again"));
            }
        }
        state.silenceRaised.clear();
        return cleared;
    }

    /** Called on the wall clock: raises once when the device has been silent longer than the rule allows. */
    public static Optional<Detection> check(Rule rule, DeviceState state, String areaId, Instant now) {
        long allowed = rule.getNoData().getAfterSeconds() * 1000L;
        if (state.silenceRaised.containsKey(rule.getId()) || state.lastReceivedAt == 0
                || now.toEpochMilli() - state.lastReceivedAt <= allowed) {
            return Optional.empty();
        }
        state.silenceRaised.put(rule.getId(), state.lastReceivedAt);
        return Optional.of(detection(rule, state, areaId, now, Detection.Phase.RAISED, state.lastReceivedAt,
                "Device " + state.deviceId + " has sent nothing for "
                        + describe(Duration.ofMillis(now.toEpochMilli() - state.lastReceivedAt)) + " (allowed "
                        + describe(Duration.ofMillis(allowed)) + ")"));
    }

    private static Detection detection(Rule rule, DeviceState state, String areaId, Instant now, Detection.Phase phase,
                                       long since, String summary) {
        Evidence.Builder evidence = Evidence.newBuilder().putThresholds("afterSeconds", rule.getNoData().getAfterSeconds());
        Reading last = Detections.lastReading(state);
        if (last != null) {
            evidence.addReadings(last);
        }
        Severity severity = Detections.orDefault(rule.getNoData().getSeverity(), Severity.WARNING);
        String id = rule.getId() + ":" + state.deviceId + ":" + since + (phase == Detection.Phase.CLEARED ? ":clear" : "");
        return Detections.of(rule, id, phase, severity, state.deviceId, state.deviceId, areaId, now, since, evidence,
                summary);
    }

    private static String describe(Duration duration) {
        return duration.toMinutes() >= 2 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }
}
