package org.gridwatch.detection.domain;

import java.time.Instant;
import java.util.List;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;

import com.google.protobuf.InvalidProtocolBufferException;

/** What every rule kind shares: building a detection, reading severity levels, wording values. */
final class Detections {

    private Detections() {
    }

    /** A sensor detection of a rule; the rule's id and version always travel in the evidence. */
    static Detection of(Rule rule, String detectionId, Detection.Phase phase, Severity severity, String subjectId,
                        String deviceId, String areaId, Instant now, long since, Evidence.Builder evidence,
                        String summary) {
        return Detection.newBuilder().setDetectionId(detectionId).setPhase(phase).setKind(rule.getKind())
                .setSeverity(severity).setSubjectId(subjectId).setDeviceId(deviceId).setAreaId(areaId)
                .setDetectedAt(Timestamps.of(now)).setConditionSince(Timestamps.of(Instant.ofEpochMilli(since)))
                .setEvidence(evidence.setRuleId(rule.getId()).setRuleVersion(rule.getVersion()))
                .setChannel("sensor").setSummary(summary).build();
    }

    /** The device's last reading kept in its state, as evidence of a silence; null when there is none. */
    static Reading lastReading(DeviceState state) {
        if (state.lastReading == null) {
            return null;
        }
        try {
            return Reading.parseFrom(state.lastReading);
        } catch (InvalidProtocolBufferException e) {
            // Our own bytes: cannot happen short of state corruption; the evidence is then just thinner.
            return null;
        }
    }

    /** A severity a rule left unset takes the given default. */
    static Severity orDefault(Severity severity, Severity fallback) {
        return severity == Severity.SEVERITY_UNSPECIFIED ? fallback : severity;
    }

    /** The worst severity whose band (at or below, at or above) holds the value, or null when none does. */
    static Severity band(List<Rule.Level> levels, double value) {
        Severity worst = null;
        for (Rule.Level level : levels) {
            boolean in = (level.hasAtOrBelow() && value <= level.getAtOrBelow())
                    || (level.hasAtOrAbove() && value >= level.getAtOrAbove());
            if (in && (worst == null || level.getSeverity().getNumber() > worst.getNumber())) {
                worst = level.getSeverity();
            }
        }
        return worst;
    }

    /** " bpm" for a unit worth printing after a value, nothing for flags or no unit. */
    static String unitSuffix(String unit) {
        return unit == null || unit.isEmpty() || unit.equals("flag") ? "" : " " + unit;
    }

    /** A whole number without its ".0", anything else as it is. */
    static String format(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
                : String.valueOf(value);
    }
}
