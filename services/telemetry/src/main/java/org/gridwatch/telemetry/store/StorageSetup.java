package org.gridwatch.telemetry.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Chooses the storage dialect at start-up. With the {@code timescaledb} extension available the
 * tables become hypertables; without it (the local stack's plain PostgreSQL) they stay plain
 * tables, and a {@code time_bucket} function over {@code date_bin} gives queries one dialect.
 */
@ApplicationScoped
public class StorageSetup {

    public enum Mode {
        TIMESCALEDB, POSTGRESQL
    }

    private static final Logger LOG = Logger.getLogger(StorageSetup.class);

    /** Table -> (time column, chunk interval). Chunks of a day hold roughly a day of readings of a community. */
    private static final Map<String, String[]> HYPERTABLES = Map.of(
            "telemetry.reading", new String[] {"observed_at", "1 day"},
            "telemetry.detection", new String[] {"detected_at", "7 days"},
            "telemetry.alert_event", new String[] {"occurred_at", "7 days"},
            "telemetry.task_event", new String[] {"occurred_at", "7 days"});

    @Inject
    DataSource dataSource;

    private volatile Mode mode;

    void onStart(@Observes StartupEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean available;
            try (ResultSet row = statement.executeQuery(
                    "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
                available = row.next();
            }
            if (available) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
                for (Map.Entry<String, String[]> table : HYPERTABLES.entrySet()) {
                    statement.execute("SELECT create_hypertable('" + table.getKey() + "', by_range('"
                            + table.getValue()[0] + "', INTERVAL '" + table.getValue()[1]
                            + "'), if_not_exists => TRUE, migrate_data => TRUE)");
                }
                mode = Mode.TIMESCALEDB;
            } else {
                // Same result as TimescaleDB's time_bucket for the intervals GridWatch uses (origin 2000-01-03, a Monday).
                statement.execute("""
                        CREATE OR REPLACE FUNCTION telemetry.time_bucket(bucket_width interval, ts timestamptz)
                        RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
                        $$ SELECT date_bin(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') $$""");
                mode = Mode.POSTGRESQL;
            }
        }
        LOG.infof("Telemetry storage: %s", mode == Mode.TIMESCALEDB
                ? "TimescaleDB hypertables" : "plain PostgreSQL tables (timescaledb extension not available)");
    }

    public Mode mode() {
        return mode;
    }
}
