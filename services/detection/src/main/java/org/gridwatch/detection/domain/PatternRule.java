package org.gridwatch.detection.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;

/**
 * Evaluates a pattern rule: a state over consecutive samples, like the elevator rules E1-E6.
 * The pattern must hold on every sample for {@code sustainSeconds} and on at least
 * {@code consecutiveSamples} samples in a row, which drops short glitches (the 5 s "running with
 * the door open" a terminal reports while the car accelerates). A transition rule also requires
 * {@code previousAllOf} on the sample before. Once raised, only a sample meeting
 * {@code clearWhen} clears it (the car level and the door open), if the rule names one.
 */
public final class PatternRule {

    private static final String RUN = "PATTERN";

    private PatternRule() {
    }

    /** @param properties the device's own properties, which checks may compare with (an elevator's topFloor) */
    public static List<Detection> onReading(Rule rule, DeviceState.Run run, Reading reading, Map<String, Double> properties,
                                            String areaId, ZoneId zone, Instant now) {
        Rule.Pattern pattern = rule.getPattern();
        Map<String, Double> values = reading.getValuesMap();
        long at = Timestamps.toInstant(reading.getObservedAt()).toEpochMilli();
        if (at < run.lastAt) {
            return List.of();
        }
        run.lastAt = at;
        if (!Gates.onlyWhen(pattern.getOnlyWhenMap(), values) || !Gates.activeAt(rule, at, zone)) {
            // Inspection or maintenance, say: nothing counts, nothing is raised.
            reset(run);
            return List.of();
        }
        boolean previousHeld = run.previousHeld;
        run.previousHeld = Gates.allHold(pattern.getPreviousAllOfList(), values, properties);
        boolean holds = Gates.allHold(pattern.getAllOfList(), values, properties)
                && (pattern.getPreviousAllOfCount() == 0 || previousHeld);

        List<Detection> out = new ArrayList<>();
        if (run.raised != 0) {
            boolean clears = pattern.getClearWhenCount() > 0 ? Gates.allHold(pattern.getClearWhenList(), values, properties) : !holds;
            if (clears) {
                out.add(detection(rule, reading, areaId, now, Detection.Phase.CLEARED, run.since.getOrDefault(RUN, at),
                        List.of(new DeviceState.Sample(reading.getEventId(), at, 0)), "Cleared: " + describe(values)));
                run.raised = 0;
                run.since.clear();
                run.samples.clear();
                run.consecutive = 0;
            }
            return out;
        }
        if (!holds) {
            run.since.clear();
            run.samples.clear();
            run.consecutive = 0;
            return out;
        }
        run.since.putIfAbsent(RUN, at);
        run.consecutive++;
        run.samples.add(new DeviceState.Sample(reading.getEventId(), at, 0));
        if (run.samples.size() > ThresholdRule.EVIDENCE_SAMPLES) {
            run.samples.remove(0);
        }
        long since = run.since.get(RUN);
        if (at - since >= pattern.getSustainSeconds() * 1000L
                && run.consecutive >= Math.max(1, pattern.getConsecutiveSamples())) {
            Severity severity = Detections.orDefault(pattern.getSeverity(), Severity.WARNING);
            run.raised = severity.getNumber();
            out.add(detection(rule, reading, areaId, now, Detection.Phase.RAISED, since, run.samples,
                    (rule.getDescription().isEmpty() ? rule.getKind() : rule.getDescription()) + " for "
                            + Duration.ofMillis(at - since).toSeconds() + " s (" + describe(values) + ")"));
        }
        return out;
    }

    private static void reset(DeviceState.Run run) {
        run.since.clear();
        run.samples.clear();
        run.consecutive = 0;
        run.previousHeld = false;
    }

    private static String describe(Map<String, Double> values) {
        return values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + (e.getValue() == Math.rint(e.getValue()) ? String.valueOf(e.getValue().longValue())
                        : String.valueOf(e.getValue())))
                .collect(Collectors.joining(", "));
    }

    private static Detection detection(Rule rule, Reading reading, String areaId, Instant now, Detection.Phase phase,
                                       long since, List<DeviceState.Sample> samples, String summary) {
        Rule.Pattern pattern = rule.getPattern();
        Evidence.Builder evidence = Evidence.newBuilder().putThresholds("sustainSeconds", pattern.getSustainSeconds())
                .putThresholds("consecutiveSamples", Math.max(1, pattern.getConsecutiveSamples()));
        for (DeviceState.Sample sample : samples) {
            // The pattern spans several values: the evidence names the samples; the last one is in full.
            evidence.addReadings(Reading.newBuilder().setEventId(sample.eventId).setDeviceId(reading.getDeviceId())
                    .setObservedAt(Timestamps.of(Instant.ofEpochMilli(sample.observedAt))));
        }
        if (evidence.getReadingsCount() > 0) {
            evidence.setReadings(evidence.getReadingsCount() - 1, reading);
        }
        Severity severity = Detections.orDefault(pattern.getSeverity(), Severity.WARNING);
        String id = rule.getId() + ":" + reading.getDeviceId() + ":" + since
                + (phase == Detection.Phase.CLEARED ? ":clear" : "");
        return Detections.of(rule, id, phase, severity, reading.getDeviceId(), reading.getDeviceId(), areaId, now, since,
                evidence, summary);
    }
}
