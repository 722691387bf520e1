package org.gridwatch.telemetry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * What TimescaleDB's background jobs do, done by the service when it runs on plain PostgreSQL:
 * the aggregates' materialized views refreshed every {@code gridwatch.telemetry.aggregate-refresh}
 * (concurrently, so readers never wait), and rows past their retention deleted every
 * {@code gridwatch.telemetry.retention-check}. With several replicas each job runs on one at a
 * time (a transaction-scoped advisory lock; the others skip that round).
 */
@ApplicationScoped
public class PlainPostgresJobs {

    /** In the order they are refreshed. */
    static final List<String> VIEWS = List.of("telemetry.reading_1m", "telemetry.reading_1h",
            "telemetry.alert_counts_1h", "telemetry.task_stages_1d");

    private static final Logger LOG = Logger.getLogger(PlainPostgresJobs.class);

    @Inject
    StorageSetup storage;

    @Inject
    DataSource dataSource;

    // The first round 5 s after start (the unit defaults to minutes): until then the views are empty shells.
    @Scheduled(every = "${gridwatch.telemetry.aggregate-refresh}", delay = 5, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refreshAggregates() {
        if (storage.mode() != StorageSetup.Mode.POSTGRESQL) {
            return;
        }
        try {
            refreshAll();
        } catch (SQLException e) {
            LOG.warnf("Refreshing the aggregates failed, next round retries: %s", e.getMessage());
        }
    }

    /**
     * Refreshes every aggregate now: on plain PostgreSQL its materialized view (the first time
     * plainly: an empty view cannot refresh concurrently), on TimescaleDB the whole continuous
     * aggregate. The schedule does the first; TimescaleDB's policies the second; tests and
     * operators call this to have the figures at once.
     */
    public void refreshAll() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (storage.mode() == StorageSetup.Mode.TIMESCALEDB) {
                // refresh_continuous_aggregate refuses to run inside a transaction.
                for (String view : VIEWS) {
                    try (Statement sql = connection.createStatement()) {
                        sql.execute("CALL refresh_continuous_aggregate('" + view + "', NULL, NULL)");
                    }
                }
                return;
            }
            connection.setAutoCommit(false);
            if (lock(connection, "gridwatch.telemetry.refresh")) {
                for (String view : VIEWS) {
                    try (Statement sql = connection.createStatement()) {
                        sql.execute("REFRESH MATERIALIZED VIEW " + (populated(connection, view) ? "CONCURRENTLY " : "")
                                + view);
                    }
                }
            }
            connection.commit();
        }
    }

    @Scheduled(every = "${gridwatch.telemetry.retention-check}", delay = 30,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void applyRetention() {
        if (storage.mode() != StorageSetup.Mode.POSTGRESQL) {
            return;
        }
        try {
            deleteExpired();
        } catch (SQLException e) {
            LOG.warnf("Applying retention failed, next round retries: %s", e.getMessage());
        }
    }

    /**
     * Removes what is older than its retention now: on plain PostgreSQL by deleting the rows, in
     * one transaction; on TimescaleDB by running its retention policies' jobs (whole chunks).
     */
    public void deleteExpired() throws SQLException {
        if (storage.mode() == StorageSetup.Mode.TIMESCALEDB) {
            try (Connection connection = dataSource.getConnection();
                 Statement jobs = connection.createStatement();
                 ResultSet ids = jobs.executeQuery("""
                         SELECT job_id FROM timescaledb_information.jobs
                         WHERE proc_name = 'policy_retention' AND hypertable_schema = 'telemetry'""")) {
                List<Integer> retention = new ArrayList<>();
                while (ids.next()) {
                    retention.add(ids.getInt(1));
                }
                for (int job : retention) {
                    try (Statement run = connection.createStatement()) {
                        run.execute("CALL run_job(" + job + ")");
                    }
                }
            }
            return;
        }
        String sql = storage.script("db/postgresql/retention.sql");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (lock(connection, "gridwatch.telemetry.retention")) {
                try (Statement delete = connection.createStatement()) {
                    delete.execute(sql);
                }
            }
            connection.commit();
        }
    }

    private static boolean lock(Connection connection, String job) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, job);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static boolean populated(Connection connection, String view) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT ispopulated FROM pg_matviews WHERE schemaname || '.' || matviewname = ?")) {
            query.setString(1, view);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
