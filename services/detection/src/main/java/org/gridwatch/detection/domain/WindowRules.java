package org.gridwatch.detection.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;

/**
 * The rules that look back over a sliding window of a device's samples: rate of change (F3, heat
 * rising fast) and repeated episodes (several apneas within an hour). The window's samples live
 * in the rule's run, so they survive restarts like every other state.
 */
public final class WindowRules {

    private WindowRules() {
    }

    public static List<Detection> rateOfChange(Rule rule, String unit, DeviceState.Run run, Reading reading,
                                               String areaId, Instant now) {
        Rule.RateOfChange condition = rule.getRateOfChange();
        Double value = reading.getValuesMap().get(condition.getField());
        if (value == null) {
            return List.of();
        }
        long at = Timestamps.toInstant(reading.getObservedAt()).toEpochMilli();
        if (at < run.lastAt) {
            return List.of();
        }
        run.lastAt = at;
        long window = condition.getWindowSeconds() * 1000L;
        run.samples.add(new DeviceState.Sample(reading.getEventId(), at, value));
        run.samples.removeIf(sample -> sample.observedAt < at - window);
        DeviceState.Sample first = run.samples.get(0);
        long span = at - first.observedAt;
        long minSpan = condition.getMinSpanSeconds() > 0 ? condition.getMinSpanSeconds() * 1000L : window / 2;
        if (span <= 0 || span < minSpan) {
            return List.of();
        }
        double perMinute = (value - first.value) / span * 60_000d;
        Severity band = Detections.band(condition.getLevelsList(), perMinute);
        List<Detection> out = new ArrayList<>();
        if (band != null && band.getNumber() > run.raised) {
            run.raised = band.getNumber();
            out.add(detection(rule, reading, areaId, now, Detection.Phase.RAISED, band, first.observedAt, run.samples,
                    condition.getField() + " changing " + round(perMinute) + Detections.unitSuffix(unit) + "/min over "
                            + span / 1000 + " s, " + band + " band"));
        } else if (band == null && run.raised != 0) {
            out.add(detection(rule, reading, areaId, now, Detection.Phase.CLEARED, Severity.forNumber(run.raised),
                    first.observedAt, List.of(new DeviceState.Sample(reading.getEventId(), at, value)),
                    condition.getField() + " steady again (" + round(perMinute) + Detections.unitSuffix(unit) + "/min)"));
            run.raised = 0;
        }
        return out;
    }

    public static List<Detection> repeated(Rule rule, DeviceState.Run run, Reading reading, String areaId, Instant now) {
        Rule.Repeated condition = rule.getRepeated();
        Map<String, Double> values = reading.getValuesMap();
        Double value = values.get(condition.getField());
        if (value == null || !Gates.onlyWhen(condition.getOnlyWhenMap(), values)) {
            return List.of();
        }
        long at = Timestamps.toInstant(reading.getObservedAt()).toEpochMilli();
        if (at < run.lastAt) {
            return List.of();
        }
        run.lastAt = at;
        boolean reached = value >= condition.getAtOrAbove();
        // An episode is counted when the value reaches the level, not on every sample that stays there.
        if (reached && !run.previousHeld) {
            run.samples.add(new DeviceState.Sample(reading.getEventId(), at, value));
        }
        run.previousHeld = reached;
        run.samples.removeIf(episode -> episode.observedAt < at - condition.getWindowSeconds() * 1000L);
        int episodes = run.samples.size();
        Severity severity = Detections.orDefault(condition.getSeverity(), Severity.WARNING);
        List<Detection> out = new ArrayList<>();
        if (episodes >= condition.getCount() && run.raised == 0) {
            run.raised = severity.getNumber();
            out.add(detection(rule, reading, areaId, now, Detection.Phase.RAISED, severity, run.samples.get(0).observedAt,
                    run.samples, episodes + " episodes of " + condition.getField() + " within "
                            + condition.getWindowSeconds() / 60 + " min"));
        } else if (episodes < condition.getCount() && run.raised != 0) {
            run.raised = 0;
            out.add(detection(rule, reading, areaId, now, Detection.Phase.CLEARED, severity, at, List.of(),
                    "Fewer than " + condition.getCount() + " episodes of " + condition.getField() + " within "
                            + condition.getWindowSeconds() / 60 + " min"));
        }
        return out;
    }

    private static Detection detection(Rule rule, Reading reading, String areaId, Instant now, Detection.Phase phase,
                                       Severity severity, long since, List<DeviceState.Sample> samples, String summary) {
        String field = rule.hasRateOfChange() ? rule.getRateOfChange().getField() : rule.getRepeated().getField();
        Evidence.Builder evidence = Evidence.newBuilder();
        if (rule.hasRateOfChange()) {
            evidence.putThresholds("windowSeconds", rule.getRateOfChange().getWindowSeconds());
            for (Rule.Level level : rule.getRateOfChange().getLevelsList()) {
                if (level.hasAtOrAbove()) {
                    evidence.putThresholds(level.getSeverity().name() + ".perMinuteAtOrAbove", level.getAtOrAbove());
                }
                if (level.hasAtOrBelow()) {
                    evidence.putThresholds(level.getSeverity().name() + ".perMinuteAtOrBelow", level.getAtOrBelow());
                }
            }
        } else {
            evidence.putThresholds("count", rule.getRepeated().getCount())
                    .putThresholds("windowSeconds", rule.getRepeated().getWindowSeconds())
                    .putThresholds("atOrAbove", rule.getRepeated().getAtOrAbove());
        }
        for (DeviceState.Sample sample : samples) {
            evidence.addReadings(Reading.newBuilder().setEventId(sample.eventId).setDeviceId(reading.getDeviceId())
                    .setObservedAt(Timestamps.of(Instant.ofEpochMilli(sample.observedAt))).putValues(field, sample.value));
        }
        String id = rule.getId() + ":" + reading.getDeviceId() + ":" + since + ":"
                + (phase == Detection.Phase.CLEARED ? "clear" : severity.name().toLowerCase());
        return Detections.of(rule, id, phase, severity, reading.getDeviceId(), reading.getDeviceId(), areaId, now, since,
                evidence, summary);
    }

    private static String round(double value) {
        return String.valueOf(Math.round(value * 10) / 10.0);
    }
}
