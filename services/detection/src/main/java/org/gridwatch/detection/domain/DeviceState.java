package org.gridwatch.detection.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * What detection remembers about one device between readings; kept in a Kafka Streams state
 * store (changelogged), so it survives restarts and rebalances. Times are epoch milliseconds.
 */
public class DeviceState {

    public String deviceId;

    // --- D2: silence ---
    /** When the bridge received the latest reading (its receivedAt), the clock silence is measured on. */
    public long lastReceivedAt;
    /** The latest reading, protobuf-encoded, shown as evidence when the device goes silent. */
    public byte[] lastReading;
    public boolean offlineRaised;
    public long offlineRaisedAt;

    // --- V1: heart rate in bed ---
    /** Start of the current run of samples at warning level or worse; 0 when there is none. */
    public long warningRunSince;
    /** Start of the current run of samples at critical level; 0 when there is none. */
    public long criticalRunSince;
    /** Observed time of the previous in-bed heart-rate sample, to see gaps. */
    public long lastHeartRateAt;
    /** Start of the current run of normal samples while an alert is raised; 0 when there is none. */
    public long normalRunSince;
    /** The severity raised for heart rate (Severity number), 0 when nothing is raised. */
    public int heartRateRaised;
    /** The samples of the current abnormal run, newest last, at most {@link HeartRateRule#EVIDENCE_SAMPLES}. */
    public List<Sample> heartRateRun = new ArrayList<>();

    /** One heart-rate sample kept as evidence. */
    public static class Sample {
        public String eventId;
        public long observedAt;
        public double heartRate;

        public Sample() {
        }

        public Sample(String eventId, long observedAt, double heartRate) {
            this.eventId = eventId;
            this.observedAt = observedAt;
            this.heartRate = heartRate;
        }
    }
}
