package org.gridwatch.detection.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Rule defaults, each from {@code shared/domain/detection-rules.md}. Every value can be set per
 * deployment (for example {@code GRIDWATCH_DETECTION_HEART_RATE_SUSTAIN=30S}).
 */
@ConfigMapping(prefix = "gridwatch.detection")
public interface DetectionConfig {

    HeartRate heartRate();

    Offline offline();

    /** V1, heart rate in bed, graded as NEWS2 (Royal College of Physicians, 2017). */
    interface HeartRate {
        /** NEWS2 score 3: at or below 40 bpm. */
        @WithDefault("40")
        double criticalAtOrBelow();

        /** NEWS2 score 3: at or above 131 bpm. */
        @WithDefault("131")
        double criticalAtOrAbove();

        /** NEWS2 score 1: 41 to 50 bpm. */
        @WithDefault("50")
        double warningAtOrBelow();

        /** NEWS2 score 2: 111 to 130 bpm. */
        @WithDefault("111")
        double warningAtOrAbove();

        /** How long the condition must hold, against motion artefacts (the source's example window: 60 s). */
        @WithDefault("60s")
        Duration sustain();

        /** A longer gap between in-bed samples breaks the run: missing data is not a sustained condition. */
        @WithDefault("30s")
        Duration maxGap();
    }

    /** D2, sensor offline: Zigbee2MQTT's defaults, mains-powered 10 min, battery 25 h. */
    interface Offline {
        @WithDefault("10m")
        Duration mainsAfter();

        @WithDefault("25h")
        Duration batteryAfter();

        /** How often silence is checked (wall clock, so silence itself is detected). */
        @WithDefault("10s")
        Duration checkInterval();
    }
}
