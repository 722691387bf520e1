package org.gridwatch.telemetry;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long telemetry keeps what, and how its storage jobs run (properties
 * {@code gridwatch.telemetry.*}). The retention and chunk settings are PostgreSQL intervals
 * (a whole number of minutes, hours or days, like {@code 30 days}) that the storage scripts take
 * as {@code ${name:default}} ({@link #storageSettings}); their defaults are written there.
 */
@ConfigMapping(prefix = "gridwatch.telemetry")
public interface TelemetryConfig {

    /** Raw readings, which include vital signs (health data), are dropped after this (default: the script's, 30 days). */
    Optional<String> rawRetention();

    /** Detections, alert events and task events are dropped after this (default 365 days). */
    Optional<String> eventRetention();

    /** The per-minute aggregate is dropped after this (TimescaleDB; default 90 days). */
    Optional<String> minuteRetention();

    /** Readings are compressed once this old (TimescaleDB; default 7 days). */
    Optional<String> compressAfter();

    /** The time span of a new chunk of readings (TimescaleDB; default 1 day). */
    Optional<String> readingChunk();

    /** How often the aggregates are refreshed on plain PostgreSQL (read by the job's schedule). */
    @WithDefault("60s")
    Duration aggregateRefresh();

    /** How often old rows are deleted on plain PostgreSQL (read by the job's schedule). */
    @WithDefault("10m")
    Duration retentionCheck();

    /**
     * The settings that are set, as the storage scripts name them; a script's own default (its
     * {@code ${name:default}}, where the check of the TimescaleDB scripts reads it too) stands for
     * one that is not.
     */
    default Map<String, String> storageSettings() {
        Map<String, String> settings = new HashMap<>();
        rawRetention().ifPresent(value -> settings.put("raw_retention", value));
        eventRetention().ifPresent(value -> settings.put("event_retention", value));
        minuteRetention().ifPresent(value -> settings.put("minute_retention", value));
        compressAfter().ifPresent(value -> settings.put("compress_after", value));
        readingChunk().ifPresent(value -> settings.put("reading_chunk", value));
        return settings;
    }
}
