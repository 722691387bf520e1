package org.gridwatch.detection.backtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.gridwatch.contract.Serdes.DetectionSerde;
import org.gridwatch.contract.Serdes.ReadingSerde;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.detection.config.DetectionConfig;
import org.gridwatch.detection.kafka.DetectionTopology;
import org.gridwatch.registryview.RegistryState;

/**
 * Runs recorded readings through the production detection topology, in memory and on a clock
 * that follows the readings, and returns what it would have raised. Nothing reaches Kafka, so
 * nothing is raised for real. Used by the back-test API.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * @param readings recorded readings, in any order; they are replayed by observed time
     * @param until    the wall clock is advanced to here at the end, so silence timers fire
     */
    public static List<Detection> run(DetectionConfig config, RegistryState registry, List<Reading> readings,
                                      Instant from, Instant until) {
        List<Reading> ordered = new ArrayList<>(readings);
        ordered.sort(Comparator.comparing(r -> Timestamps.toInstant(r.getObservedAt())));
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("gridwatch-replay-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("No temporary folder for the replay's state", e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gridwatch-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(DetectionTopology.build(config, registry), props, from)) {
            TestInputTopic<String, Reading> in = driver.createInputTopic(Topics.READINGS, Serdes.String().serializer(),
                    new ReadingSerde());
            TestOutputTopic<String, Detection> out = driver.createOutputTopic(Topics.DETECTIONS,
                    Serdes.String().deserializer(), new DetectionSerde());
            Instant clock = from;
            for (Reading reading : ordered) {
                Instant at = Timestamps.toInstant(reading.getObservedAt());
                clock = advance(driver, clock, at, config.noDataCheckInterval());
                // Replayed on device time: received when observed, so silence is measured as it happened.
                in.pipeInput(reading.getDeviceId(), reading.toBuilder().setReceivedAt(reading.getObservedAt()).build(), at);
            }
            advance(driver, clock, until, config.noDataCheckInterval());
            return out.readValuesToList();
        }
    }

    /**
     * Moves the wall clock in steps of the silence check interval, so timers fire when they fall
     * due as they would live, rather than all at the end of a long gap.
     */
    private static Instant advance(TopologyTestDriver driver, Instant clock, Instant to, Duration maxStep) {
        Instant now = clock;
        while (to.isAfter(now)) {
            Duration step = Duration.between(now, to);
            if (step.compareTo(maxStep) > 0) {
                step = maxStep;
            }
            driver.advanceWallClockTime(step);
            now = now.plus(step);
        }
        return now;
    }
}
