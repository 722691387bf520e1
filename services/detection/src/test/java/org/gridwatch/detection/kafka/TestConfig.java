package org.gridwatch.detection.kafka;

import java.time.Duration;

import org.gridwatch.detection.config.DetectionConfig;

/** The shipped defaults of {@link DetectionConfig}, for tests that run without Quarkus. */
final class TestConfig {

    private TestConfig() {
    }

    static DetectionConfig defaults() {
        DetectionConfig.HeartRate heartRate = new DetectionConfig.HeartRate() {
            public double criticalAtOrBelow() {
                return 40;
            }

            public double criticalAtOrAbove() {
                return 131;
            }

            public double warningAtOrBelow() {
                return 50;
            }

            public double warningAtOrAbove() {
                return 111;
            }

            public Duration sustain() {
                return Duration.ofSeconds(60);
            }

            public Duration maxGap() {
                return Duration.ofSeconds(30);
            }
        };
        DetectionConfig.Offline offline = new DetectionConfig.Offline() {
            public Duration mainsAfter() {
                return Duration.ofMinutes(10);
            }

            public Duration batteryAfter() {
                return Duration.ofHours(25);
            }

            public Duration checkInterval() {
                return Duration.ofSeconds(10);
            }
        };
        return new DetectionConfig() {
            public HeartRate heartRate() {
                return heartRate;
            }

            public Offline offline() {
                return offline;
            }
        };
    }
}
