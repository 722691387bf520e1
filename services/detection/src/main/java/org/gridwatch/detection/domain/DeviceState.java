package org.gridwatch.detection.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What detection remembers about one device between readings; kept in a Kafka Streams state
 * store (changelogged), so running windows and timers survive restarts and rebalances. Times are
 * epoch milliseconds.
 */
public class DeviceState {

    public String deviceId;

    /** When the bridge received the latest reading (its receivedAt): the clock silence is measured on. */
    public long lastReceivedAt;
    /** The latest reading, protobuf-encoded, shown as evidence when the device goes silent. */
    public byte[] lastReading;
    /** No-data rules raised for this device: rule id -> the receipt time the silence began at. */
    public Map<String, Long> silenceRaised = new HashMap<>();
    /** No-activity rules: rule id -> when activity was last seen (or the first reading, as a baseline). */
    public Map<String, Long> lastActivity = new HashMap<>();
    /** No-activity rules raised for this device: rule id -> the time activity was last seen. */
    public Map<String, Long> inactivityRaised = new HashMap<>();
    /** When the device's wake-up for its silence timers is due (epoch ms); 0 when none is set. */
    public long wakeAt;
    /** Threshold and pattern rules' runs: rule id -> run. */
    public Map<String, Run> runs = new HashMap<>();

    /** The state of one threshold rule on this device. */
    public static class Run {
        /** Severity name -> when the current run of samples at that severity or worse began. */
        public Map<String, Long> since = new HashMap<>();
        /** Observed time of the previous sample, to see gaps and old samples. */
        public long lastAt;
        /** Start of the current run of samples back in range while raised; 0 when there is none. */
        public long normalSince;
        /** The severity raised (Severity number), 0 when nothing is raised. */
        public int raised;
        /** The samples of the current out-of-range run, newest last, as evidence. */
        public List<Sample> samples = new ArrayList<>();
        /** Pattern rules: whether the previous sample met the rule's previousAllOf. */
        public boolean previousHeld;
        /** Threshold rules with armedBy: whether it held on a sample inside the current active hours. */
        public boolean armed;
        /** Pattern rules: samples in a row on which the pattern held. */
        public int consecutive;
    }

    /** One sample kept as evidence. */
    public static class Sample {
        public String eventId;
        public long observedAt;
        public double value;
        /** The field it was read from, when a rule reads several (null: the rule's field). */
        public String field;

        public Sample() {
        }

        public Sample(String eventId, long observedAt, double value) {
            this(eventId, observedAt, value, null);
        }

        public Sample(String eventId, long observedAt, double value, String field) {
            this.eventId = eventId;
            this.observedAt = observedAt;
            this.value = value;
            this.field = field;
        }
    }
}
