package org.gridwatch.telemetry.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.telemetry.TelemetryConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Chooses the storage dialect at start-up, after the migrations have made the tables. With the
 * {@code timescaledb} extension available, {@code db/timescale/*.sql} make them hypertables with
 * compression, retention policies and continuous aggregates; without it (the local stack's plain
 * PostgreSQL), {@code db/postgresql/*.sql} give a {@code time_bucket} over {@code date_bin} and the
 * same aggregates as materialized views, which {@link PlainPostgresJobs} refreshes and prunes. The
 * scripts run at every start and are idempotent; their {@code ${name:default}} settings come from
 * {@link TelemetryConfig} ({@code gridwatch.telemetry.<name>}, underscores as dashes, e.g.
 * {@code raw-retention=30 days}), else the default written in the script.
 */
@ApplicationScoped
public class StorageSetup {

    public enum Mode {
        TIMESCALEDB, POSTGRESQL
    }

    /** The scripts of each dialect, in the order they run. */
    static final List<String> TIMESCALE_SCRIPTS = List.of("db/timescale/0-extension.sql", "db/timescale/1-hypertables.sql",
            "db/timescale/2-compression.sql", "db/timescale/3-retention.sql", "db/timescale/4-aggregates.sql");
    static final List<String> POSTGRESQL_SCRIPTS = List.of("db/postgresql/1-time-bucket.sql",
            "db/postgresql/2-aggregates.sql");

    private static final Logger LOG = Logger.getLogger(StorageSetup.class);
    private static final Pattern SETTING = Pattern.compile("\\$\\{([a-z_]+):([^}]*)}");
    private static final Pattern INTERVAL = Pattern.compile("\\d{1,5} (minutes?|hours?|days?)");

    @Inject
    DataSource dataSource;

    @Inject
    TelemetryConfig config;

    private volatile Mode mode;

    void onStart(@Observes StartupEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean available;
            try (ResultSet row = statement.executeQuery(
                    "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
                available = row.next();
            }
            for (String script : available ? TIMESCALE_SCRIPTS : POSTGRESQL_SCRIPTS) {
                statement.execute(script(script));
            }
            mode = available ? Mode.TIMESCALEDB : Mode.POSTGRESQL;
        }
        LOG.infof("Telemetry storage: %s", mode == Mode.TIMESCALEDB
                ? "TimescaleDB hypertables, compression, retention policies and continuous aggregates"
                : "plain PostgreSQL tables, materialized views refreshed on a schedule, retention by deleting rows "
                        + "(timescaledb extension not available)");
    }

    public Mode mode() {
        return mode;
    }

    /** A script with its settings filled in from {@link TelemetryConfig}. */
    String script(String resource) {
        return script(resource, config.storageSettings()::get);
    }

    /** A script with its settings filled in: the configured value, else the default written in it. */
    static String script(String resource, Function<String, String> settings) {
        String sql;
        try (InputStream in = StorageSetup.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Storage script missing: " + resource);
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Storage script unreadable: " + resource, e);
        }
        Matcher setting = SETTING.matcher(sql);
        StringBuilder filled = new StringBuilder();
        while (setting.find()) {
            String configured = settings.apply(setting.group(1));
            String value = configured == null ? setting.group(2) : configured.strip();
            if (!INTERVAL.matcher(value).matches()) {
                throw new IllegalStateException("gridwatch.telemetry." + setting.group(1).replace('_', '-')
                        + " must be a whole number of minutes, hours or days, like '30 days'; got '" + value + "'");
            }
            setting.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        setting.appendTail(filled);
        return filled.toString();
    }
}
