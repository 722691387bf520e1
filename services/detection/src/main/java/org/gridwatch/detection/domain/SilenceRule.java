package org.gridwatch.detection.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Severity;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * D2: a device that has sent nothing for longer than its power source allows (mains-powered
 * 10 min, battery 25 h by default). Checked on the wall clock, so silence itself is detected;
 * measured from the bridge's receipt time, so a replay after a restart does not look like silence.
 * The next reading clears it.
 */
public final class SilenceRule {

    public static final String RULE_ID = "D2";
    public static final int RULE_VERSION = 1;
    public static final String KIND = "device.offline";

    private final Duration mainsAfter;
    private final Duration batteryAfter;

    public SilenceRule(Duration mainsAfter, Duration batteryAfter) {
        this.mainsAfter = mainsAfter;
        this.batteryAfter = batteryAfter;
    }

    public Duration silenceAllowed(Device.Power power) {
        return power == Device.Power.BATTERY ? batteryAfter : mainsAfter;
    }

    /** Records the reading; returns the clear detection when the device had been reported offline. */
    public Optional<Detection> onReading(DeviceState state, Reading reading, String areaId, Instant now) {
        long receivedAt = reading.hasReceivedAt() ? Timestamps.toInstant(reading.getReceivedAt()).toEpochMilli()
                : now.toEpochMilli();
        if (receivedAt >= state.lastReceivedAt) {
            state.lastReceivedAt = receivedAt;
            state.lastReading = reading.toByteArray();
        }
        if (!state.offlineRaised) {
            return Optional.empty();
        }
        state.offlineRaised = false;
        return Optional.of(detection(state, areaId, now, Detection.Phase.CLEARED, state.offlineRaisedAt,
                "Device " + state.deviceId + " is sending again"));
    }

    /** Called on the wall clock: raises once when the device has been silent too long. */
    public Optional<Detection> check(DeviceState state, Device.Power power, String areaId, Instant now) {
        Duration allowed = silenceAllowed(power);
        if (state.offlineRaised || state.lastReceivedAt == 0
                || now.toEpochMilli() - state.lastReceivedAt <= allowed.toMillis()) {
            return Optional.empty();
        }
        state.offlineRaised = true;
        state.offlineRaisedAt = now.toEpochMilli();
        return Optional.of(detection(state, areaId, now, Detection.Phase.RAISED, state.lastReceivedAt,
                "Device " + state.deviceId + " has sent nothing for "
                        + Duration.ofMillis(now.toEpochMilli() - state.lastReceivedAt).toMinutes() + " min (allowed "
                        + allowed.toMinutes() + " min)"));
    }

    private Detection detection(DeviceState state, String areaId, Instant now, Detection.Phase phase, long since,
                                String summary) {
        Evidence.Builder evidence = Evidence.newBuilder().setRuleId(RULE_ID).setRuleVersion(RULE_VERSION)
                .putThresholds("mainsAfterSeconds", mainsAfter.toSeconds())
                .putThresholds("batteryAfterSeconds", batteryAfter.toSeconds());
        if (state.lastReading != null) {
            try {
                evidence.addReadings(Reading.parseFrom(state.lastReading));
            } catch (InvalidProtocolBufferException e) {
                // Our own bytes: cannot happen short of state corruption; the evidence is then just thinner.
            }
        }
        String id = RULE_ID + ":" + state.deviceId + ":" + since + (phase == Detection.Phase.CLEARED ? ":clear" : "");
        return Detection.newBuilder().setDetectionId(id).setPhase(phase).setKind(KIND).setSeverity(Severity.WARNING)
                .setSubjectId(state.deviceId).setDeviceId(state.deviceId).setAreaId(areaId)
                .setDetectedAt(Timestamps.of(now)).setConditionSince(Timestamps.of(Instant.ofEpochMilli(since)))
                .setEvidence(evidence).setChannel("sensor").setSummary(summary).build();
    }
}
