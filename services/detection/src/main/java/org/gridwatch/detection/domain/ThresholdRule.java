package org.gridwatch.detection.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;

/**
 * Evaluates a threshold rule on one device's readings. A run of samples in a level's band (or a
 * worse one) lasting the rule's sustain time raises that level's severity, and a worse level's
 * run upgrades it. A run breaks on a sample out of every band, on a reading that fails the rule's
 * {@code onlyWhen} gate (out of bed, say) or falls outside its active hours, or on a gap longer
 * than {@code maxGapSeconds}, and it starts only once armed when the rule has {@code armedBy}. Once
 * raised, samples out of every band for {@code clearAfterSeconds} clear it: one good sample is not
 * enough. Time is the readings' observed time, so a replay gives the same result.
 */
public final class ThresholdRule {

    static final int EVIDENCE_SAMPLES = 20;

    private ThresholdRule() {
    }

    public static List<Detection> onReading(Rule rule, String unit, DeviceState.Run run, Reading reading, String areaId,
                                            ZoneId zone, Instant now) {
        Rule.Threshold threshold = rule.getThreshold();
        Map<String, Double> values = reading.getValuesMap();
        String field = worstField(threshold, values);
        if (field == null) {
            return List.of();
        }
        double value = values.get(field);
        long at = Timestamps.toInstant(reading.getObservedAt()).toEpochMilli();
        if (at < run.lastAt) {
            // An old sample from a gateway's buffer: it cannot extend or break a run that is already later.
            return List.of();
        }
        boolean gap = run.lastAt != 0 && threshold.getMaxGapSeconds() > 0
                && at - run.lastAt > threshold.getMaxGapSeconds() * 1000L;
        run.lastAt = at;
        boolean active = Gates.activeAt(rule, at, zone);
        boolean gatedOut = !Gates.onlyWhen(threshold.getOnlyWhenMap(), values) || !active;
        if (!active) {
            run.armed = false;
        } else if (threshold.hasArmedBy() && Gates.holds(threshold.getArmedBy(), values)) {
            run.armed = true;
        }
        if (gap || gatedOut) {
            breakRun(run);
            run.normalSince = 0;
            if (gatedOut) {
                return List.of();
            }
        }
        if (threshold.hasArmedBy() && !run.armed) {
            breakRun(run);
            return List.of();
        }

        Severity band = Detections.band(threshold.getLevelsList(), value);
        List<Detection> out = new ArrayList<>();
        if (band == null) {
            breakRun(run);
            if (run.raised != 0) {
                if (run.normalSince == 0) {
                    run.normalSince = at;
                }
                long clearAfter = (threshold.hasClearAfterSeconds() ? threshold.getClearAfterSeconds()
                        : threshold.getSustainSeconds()) * 1000L;
                if (at - run.normalSince >= clearAfter) {
                    out.add(detection(rule, reading, areaId, now, Detection.Phase.CLEARED,
                            Severity.forNumber(run.raised), run.normalSince,
                            List.of(new DeviceState.Sample(reading.getEventId(), at, value, field)),
                            field + " back in range (" + Detections.format(value) + Detections.unitSuffix(unit) + ") for "
                                    + Duration.ofMillis(at - run.normalSince).toSeconds() + " s"));
                    run.raised = 0;
                    run.normalSince = 0;
                }
            }
            return out;
        }

        run.normalSince = 0;
        for (Severity severity : severities(threshold)) {
            if (band.getNumber() >= severity.getNumber()) {
                run.since.putIfAbsent(severity.name(), at);
            } else {
                run.since.remove(severity.name());
            }
        }
        run.samples.add(new DeviceState.Sample(reading.getEventId(), at, value, field));
        if (run.samples.size() > EVIDENCE_SAMPLES) {
            run.samples.remove(0);
        }

        long sustain = threshold.getSustainSeconds() * 1000L;
        for (Severity severity : severities(threshold)) {
            Long since = run.since.get(severity.name());
            if (since != null && at - since >= sustain) {
                if (severity.getNumber() > run.raised) {
                    run.raised = severity.getNumber();
                    out.add(detection(rule, reading, areaId, now, Detection.Phase.RAISED, severity, since, run.samples,
                            field + " " + Detections.format(value) + Detections.unitSuffix(unit) + ", " + severity + " band, for "
                                    + Duration.ofMillis(at - since).toSeconds() + " s"));
                }
                break;
            }
        }
        return out;
    }

    /**
     * The field the sample is judged on: the rule's field, or of it and its alsoFields the one in
     * the worst band; null when the reading carries none of them.
     */
    private static String worstField(Rule.Threshold threshold, Map<String, Double> values) {
        String chosen = values.containsKey(threshold.getField()) ? threshold.getField() : null;
        if (threshold.getAlsoFieldsCount() == 0) {
            return chosen;
        }
        int worst = chosen == null ? -1 : bandNumber(threshold, values.get(chosen));
        for (String other : threshold.getAlsoFieldsList()) {
            Double value = values.get(other);
            if (value != null && bandNumber(threshold, value) > worst) {
                chosen = other;
                worst = bandNumber(threshold, value);
            }
        }
        return chosen;
    }

    private static int bandNumber(Rule.Threshold threshold, double value) {
        Severity band = Detections.band(threshold.getLevelsList(), value);
        return band == null ? 0 : band.getNumber();
    }

    /** The rule's severities, worst first. */
    private static List<Severity> severities(Rule.Threshold threshold) {
        return threshold.getLevelsList().stream().map(Rule.Level::getSeverity).distinct()
                .sorted(Comparator.comparingInt(Severity::getNumber).reversed()).toList();
    }

    private static void breakRun(DeviceState.Run run) {
        run.since.clear();
        run.samples.clear();
    }

    private static Detection detection(Rule rule, Reading reading, String areaId, Instant now, Detection.Phase phase,
                                       Severity severity, long since, List<DeviceState.Sample> samples, String summary) {
        Rule.Threshold threshold = rule.getThreshold();
        Evidence.Builder evidence = Evidence.newBuilder().putThresholds("sustainSeconds", threshold.getSustainSeconds());
        for (Rule.Level level : threshold.getLevelsList()) {
            if (level.hasAtOrBelow()) {
                evidence.putThresholds(level.getSeverity().name() + ".atOrBelow", level.getAtOrBelow());
            }
            if (level.hasAtOrAbove()) {
                evidence.putThresholds(level.getSeverity().name() + ".atOrAbove", level.getAtOrAbove());
            }
        }
        for (DeviceState.Sample sample : samples) {
            evidence.addReadings(Reading.newBuilder().setEventId(sample.eventId).setDeviceId(reading.getDeviceId())
                    .setGatewayId(reading.getGatewayId()).setSensorType(reading.getSensorType())
                    .setObservedAt(Timestamps.of(Instant.ofEpochMilli(sample.observedAt)))
                    .putValues(sample.field != null ? sample.field : threshold.getField(), sample.value));
        }
        String id = rule.getId() + ":" + reading.getDeviceId() + ":" + since + ":"
                + (phase == Detection.Phase.CLEARED ? "clear" : severity.name().toLowerCase());
        return Detections.of(rule, id, phase, severity, reading.getDeviceId(), reading.getDeviceId(), areaId, now, since,
                evidence, summary);
    }
}
