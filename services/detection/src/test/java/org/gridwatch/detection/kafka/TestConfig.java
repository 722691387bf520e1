package org.gridwatch.detection.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.detection.config.DetectionConfig;
import org.gridwatch.registryview.RegistryState;

/** The shipped defaults, for tests that run without Quarkus. */
final class TestConfig {

    /** The registry's shipped files, so these tests run the rules exactly as shipped. */
    private static final Path REGISTRY_DATA = Path.of("../registry/src/main/resources");

    private TestConfig() {
    }

    static DetectionConfig defaults() {
        return new DetectionConfig() {
            @Override
            public Duration noDataCheckInterval() {
                return Duration.ofSeconds(10);
            }

            @Override
            public String telemetryUrl() {
                return "http://localhost:8086";
            }
        };
    }

    /** A registry holding the shipped sensor types and rules. */
    static RegistryState shippedRules() {
        RegistryState registry = new RegistryState();
        for (String file : new String[] {"sensor-types.json", "rules.json"}) {
            RegistrySnapshot snapshot;
            try {
                snapshot = ProtoJson.mergeJson(Files.readString(REGISTRY_DATA.resolve(file)), RegistrySnapshot.newBuilder())
                        .build();
            } catch (IOException | PayloadException e) {
                throw new IllegalStateException("Cannot read the shipped " + file, e);
            }
            snapshot.getSensorTypesList().forEach(t -> put(registry, RegistryRecord.newBuilder().setSensorType(t).build()));
            snapshot.getRulesList().forEach(r -> put(registry, RegistryRecord.newBuilder().setRule(r).build()));
        }
        return registry;
    }

    static void put(RegistryState registry, RegistryRecord record) {
        registry.apply(RegistryState.key(record), record);
    }
}
