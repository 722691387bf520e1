package org.gridwatch.detection.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.detection.config.DetectionConfig;
import org.gridwatch.detection.eval.Evaluation;
import org.gridwatch.registryview.RegistryState;

/** The shipped defaults, for tests and tools (evaluation, benchmark) that run without Quarkus. */
public final class TestConfig {

    /** The registry's shipped files, so these tests run the rules exactly as shipped. */
    private static final Path REGISTRY_DATA = Path.of("../registry/src/main/resources");

    private TestConfig() {
    }

    public static DetectionConfig defaults() {
        return new DetectionConfig() {
            @Override
            public Duration noDataCheckInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public String telemetryUrl() {
                return "http://localhost:8086";
            }
        };
    }

    /** A registry holding the shipped sensor types and rules. */
    static RegistryState shippedRules() {
        try {
            return Evaluation.shippedRegistry(REGISTRY_DATA);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the shipped registry files", e);
        }
    }

    /**
     * Settings for a TopologyTestDriver with its own state folder, so test runs side by side on
     * one machine never share (and lock) each other's stores.
     */
    static Properties driverProperties(String applicationId) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("gridwatch-" + applicationId).toString());
        } catch (IOException e) {
            throw new IllegalStateException("No temporary folder for the test's state", e);
        }
        return props;
    }

    static void put(RegistryState registry, RegistryRecord record) {
        registry.apply(RegistryState.key(record), record);
    }
}
