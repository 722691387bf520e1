package org.gridwatch.detection.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the detection engine itself. The rules, their thresholds and durations are data in
 * the registry ({@code GET /api/v1/rules} there), with their sources.
 */
@ConfigMapping(prefix = "gridwatch.detection")
public interface DetectionConfig {

    /**
     * How often due silence timers (no-data, no-activity) are looked at on the wall clock, so
     * silence itself is detected at most this late. Cheap: only devices that are due are read.
     */
    @WithDefault("1s")
    Duration noDataCheckInterval();

    /** Where the back-test reads recorded readings: the telemetry service. */
    @WithDefault("http://localhost:8086")
    String telemetryUrl();
}
