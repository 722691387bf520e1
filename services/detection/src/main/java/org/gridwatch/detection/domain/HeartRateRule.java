package org.gridwatch.detection.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Severity;

/**
 * V1: heart rate out of range while in bed, sustained. A run of samples at warning level (or
 * worse) lasting {@code sustain} raises a warning; a run at critical level raises (or upgrades
 * to) critical. A run breaks on a normal sample, on leaving the bed, or on a gap longer than
 * {@code maxGap}. Once raised, normal samples for {@code sustain} clear it (hysteresis: one
 * normal sample is not enough). Time is the readings' observed time, so replays give the same result.
 */
public final class HeartRateRule {

    public static final String RULE_ID = "V1";
    public static final int RULE_VERSION = 1;
    public static final String KIND = "vital-signs.heart-rate";
    public static final String HEART_RATE = "heartRate";
    public static final String IN_BED = "inBed";
    static final int EVIDENCE_SAMPLES = 20;

    public record Settings(double criticalAtOrBelow, double criticalAtOrAbove, double warningAtOrBelow,
                           double warningAtOrAbove, Duration sustain, Duration maxGap) {
    }

    private final Settings settings;

    public HeartRateRule(Settings settings) {
        this.settings = settings;
    }

    public List<Detection> onReading(DeviceState state, Reading reading, String areaId, Instant now) {
        Double heartRate = reading.getValuesMap().get(HEART_RATE);
        if (heartRate == null) {
            return List.of();
        }
        long at = Timestamps.toInstant(reading.getObservedAt()).toEpochMilli();
        Double inBed = reading.getValuesMap().get(IN_BED);
        boolean gap = state.lastHeartRateAt != 0 && at - state.lastHeartRateAt > settings.maxGap().toMillis();
        if (at < state.lastHeartRateAt) {
            // An old sample from a gateway's buffer: it cannot extend or break a run that is already later.
            return List.of();
        }
        state.lastHeartRateAt = at;
        if ((inBed != null && inBed < 0.5) || gap) {
            breakRun(state);
            state.normalRunSince = 0;
            if (inBed != null && inBed < 0.5) {
                return List.of();
            }
        }

        Severity band = band(heartRate);
        List<Detection> out = new ArrayList<>();
        if (band == Severity.INFO) {
            breakRun(state);
            if (state.heartRateRaised != 0) {
                if (state.normalRunSince == 0) {
                    state.normalRunSince = at;
                }
                if (at - state.normalRunSince >= settings.sustain().toMillis()) {
                    out.add(detection(reading, areaId, now, Detection.Phase.CLEARED,
                            Severity.forNumber(state.heartRateRaised), state.normalRunSince,
                            List.of(new DeviceState.Sample(reading.getEventId(), at, heartRate)),
                            "Heart rate back in the normal range (" + format(heartRate) + " bpm) for "
                                    + settings.sustain().toSeconds() + " s"));
                    state.heartRateRaised = 0;
                    state.normalRunSince = 0;
                }
            }
            return out;
        }

        state.normalRunSince = 0;
        if (state.warningRunSince == 0) {
            state.warningRunSince = at;
        }
        if (band == Severity.CRITICAL) {
            if (state.criticalRunSince == 0) {
                state.criticalRunSince = at;
            }
        } else {
            state.criticalRunSince = 0;
        }
        state.heartRateRun.add(new DeviceState.Sample(reading.getEventId(), at, heartRate));
        if (state.heartRateRun.size() > EVIDENCE_SAMPLES) {
            state.heartRateRun.remove(0);
        }

        long sustain = settings.sustain().toMillis();
        Severity sustained = Severity.INFO;
        long since = 0;
        if (state.criticalRunSince != 0 && at - state.criticalRunSince >= sustain) {
            sustained = Severity.CRITICAL;
            since = state.criticalRunSince;
        } else if (at - state.warningRunSince >= sustain) {
            sustained = Severity.WARNING;
            since = state.warningRunSince;
        }
        if (sustained != Severity.INFO && sustained.getNumber() > state.heartRateRaised) {
            state.heartRateRaised = sustained.getNumber();
            out.add(detection(reading, areaId, now, Detection.Phase.RAISED, sustained, since, state.heartRateRun,
                    "Heart rate " + format(heartRate) + " bpm in bed, out of range for "
                            + Duration.ofMillis(at - since).toSeconds() + " s"));
        }
        return out;
    }

    Severity band(double heartRate) {
        if (heartRate <= settings.criticalAtOrBelow() || heartRate >= settings.criticalAtOrAbove()) {
            return Severity.CRITICAL;
        }
        if (heartRate <= settings.warningAtOrBelow() || heartRate >= settings.warningAtOrAbove()) {
            return Severity.WARNING;
        }
        return Severity.INFO;
    }

    private static void breakRun(DeviceState state) {
        state.warningRunSince = 0;
        state.criticalRunSince = 0;
        state.heartRateRun.clear();
    }

    private Detection detection(Reading reading, String areaId, Instant now, Detection.Phase phase, Severity severity,
                                long since, List<DeviceState.Sample> samples, String summary) {
        Evidence.Builder evidence = Evidence.newBuilder().setRuleId(RULE_ID).setRuleVersion(RULE_VERSION)
                .putThresholds("criticalAtOrBelow", settings.criticalAtOrBelow())
                .putThresholds("criticalAtOrAbove", settings.criticalAtOrAbove())
                .putThresholds("warningAtOrBelow", settings.warningAtOrBelow())
                .putThresholds("warningAtOrAbove", settings.warningAtOrAbove())
                .putThresholds("sustainSeconds", settings.sustain().toSeconds());
        for (DeviceState.Sample sample : samples) {
            evidence.addReadings(Reading.newBuilder().setEventId(sample.eventId).setDeviceId(reading.getDeviceId())
                    .setGatewayId(reading.getGatewayId()).setSensorType(reading.getSensorType())
                    .setObservedAt(Timestamps.of(Instant.ofEpochMilli(sample.observedAt)))
                    .putValues(HEART_RATE, sample.heartRate));
        }
        String id = RULE_ID + ":" + reading.getDeviceId() + ":" + since + ":"
                + (phase == Detection.Phase.CLEARED ? "clear" : severity.name().toLowerCase());
        return Detection.newBuilder().setDetectionId(id).setPhase(phase).setKind(KIND).setSeverity(severity)
                .setSubjectId(reading.getDeviceId()).setDeviceId(reading.getDeviceId()).setAreaId(areaId)
                .setDetectedAt(Timestamps.of(now)).setConditionSince(Timestamps.of(Instant.ofEpochMilli(since)))
                .setEvidence(evidence).setChannel("sensor").setSummary(summary).build();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
