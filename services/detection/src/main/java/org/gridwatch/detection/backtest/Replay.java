package org.gridwatch.detection.backtest;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.gridwatch.contract.Serdes.GatewayStatusSerde;
import org.gridwatch.contract.Serdes.ReadingSerde;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.detection.config.DetectionConfig;
import org.gridwatch.detection.kafka.DetectionTopology;
import org.gridwatch.registryview.RegistryState;

/**
 * Runs recorded traffic through the production detection topology, in memory and on a wall clock
 * that follows the records, and collects what it would have raised. Nothing reaches Kafka, so
 * nothing is raised for real. Used by the back-test API and by the accuracy evaluation.
 */
public final class Replay implements AutoCloseable {

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Reading> readings;
    private final TestInputTopic<String, GatewayStatus> statuses;
    private final TestOutputTopic<String, Detection> detections;
    private final Duration step;
    private final Path stateDir;
    private Instant clock;

    public Replay(DetectionConfig config, RegistryState registry, Instant from) {
        try {
            stateDir = Files.createTempDirectory("gridwatch-replay-");
        } catch (IOException e) {
            throw new UncheckedIOException("No temporary folder for the replay's state", e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gridwatch-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DetectionTopology.build(config, registry, false), props, from);
        readings = driver.createInputTopic(Topics.READINGS, Serdes.String().serializer(), new ReadingSerde());
        statuses = driver.createInputTopic(Topics.GATEWAY_STATUS, Serdes.String().serializer(), new GatewayStatusSerde());
        detections = driver.createOutputTopic(Topics.DETECTIONS, Serdes.String().deserializer(), new DetectionSerde());
        step = config.noDataCheckInterval();
        clock = from;
    }

    /**
     * Replays recorded readings, in any order (they are sorted by observed time), and advances
     * the clock to {@code until} so silence timers fire; returns every detection.
     */
    public static List<Detection> run(DetectionConfig config, RegistryState registry, List<Reading> recorded,
                                      Instant from, Instant until) {
        List<Reading> ordered = new ArrayList<>(recorded);
        ordered.sort(Comparator.comparing(r -> Timestamps.toInstant(r.getObservedAt())));
        try (Replay replay = new Replay(config, registry, from)) {
            List<Detection> raised = new ArrayList<>();
            for (Reading reading : ordered) {
                // Replayed on device time: received when observed, so silence is measured as it happened.
                replay.reading(reading.toBuilder().setReceivedAt(reading.getObservedAt()).build());
                raised.addAll(replay.detections());
            }
            replay.advanceTo(until);
            raised.addAll(replay.detections());
            return raised;
        }
    }

    /** Feeds one reading, at its receipt time (the clock moves there first). */
    public void reading(Reading reading) {
        Instant at = Timestamps.toInstant(reading.hasReceivedAt() ? reading.getReceivedAt() : reading.getObservedAt());
        advanceTo(at);
        readings.pipeInput(reading.getDeviceId(), reading, at);
    }

    public void status(GatewayStatus status) {
        Instant at = Timestamps.toInstant(status.getObservedAt());
        advanceTo(at);
        statuses.pipeInput(status.getGatewayId(), status, at);
    }

    /**
     * Moves the wall clock in steps of the silence check interval, so timers fire when they fall
     * due as they would live, rather than all at the end of a long gap.
     */
    public void advanceTo(Instant to) {
        while (to.isAfter(clock)) {
            Duration gap = Duration.between(clock, to);
            Duration next = gap.compareTo(step) > 0 ? step : gap;
            driver.advanceWallClockTime(next);
            clock = clock.plus(next);
        }
    }

    /** What was raised or cleared since the last call. */
    public List<Detection> detections() {
        return detections.isEmpty() ? List.of() : detections.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Only a temporary folder left behind.
        }
    }
}
