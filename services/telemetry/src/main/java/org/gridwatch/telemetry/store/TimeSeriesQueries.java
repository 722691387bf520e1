package org.gridwatch.telemetry.store;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What operators, supervisors and integrators read: one metric of a device over a range,
 * downsampled to a number of points that keeps each bucket's extremes; the latest value of each
 * metric of some devices; the aggregates by area and time; a range as CSV. The same SQL runs on
 * TimescaleDB and on plain PostgreSQL ({@link StorageSetup}).
 */
@ApplicationScoped
public class TimeSeriesQueries {

    /** One point of a series. */
    public record Point(Instant t, double v) {
    }

    /** A series: raw when it had no more points than asked for, else the extremes of buckets of {@code bucketSeconds}. */
    public record Series(String deviceId, String metric, Instant from, Instant to, Long bucketSeconds,
                         List<Point> points) {
    }

    /** The newest value of a device's metric. */
    public record Latest(String deviceId, String metric, Instant observedAt, double value) {
    }

    /** A bucket of a device's metric from the per-minute or per-hour aggregate. */
    public record Stats(Instant bucket, long samples, double mean, double low, double high) {
    }

    /** Alerts of an area in a bucket of time. */
    public record AlertCounts(Instant bucket, String kind, long opened, long resolved, long events) {
    }

    /** Task stages of an area ended in a day. */
    public record StageTimes(Instant day, String stage, long ended, long onTime, double meanSeconds,
                             double maxSeconds) {
    }

    @Inject
    DataSource dataSource;

    /**
     * The metric of a device in [from, to): all its points when there are at most {@code points},
     * else, in buckets of equal width, the lowest and the highest point of each (with their own
     * times), so peaks survive downsampling; never more than {@code points} points (at least 4).
     */
    public Series series(String deviceId, String metric, Instant from, Instant to, int points) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            long count;
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT count(*) FROM reading_value
                    WHERE device_id = ? AND metric = ? AND observed_at >= ? AND observed_at < ?""")) {
                bindRange(query, deviceId, metric, from, to);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    count = row.getLong(1);
                }
            }
            if (count <= points) {
                return new Series(deviceId, metric, from, to, null, points(connection, """
                        SELECT observed_at, value FROM reading_value
                        WHERE device_id = ? AND metric = ? AND observed_at >= ? AND observed_at < ?
                        ORDER BY observed_at""", deviceId, metric, from, to, null));
            }
            // Buckets are aligned to time_bucket's origin, so the range touches up to one more than
            // it spans: with points/2 - 1 spans there are at most points/2 buckets of two points.
            long rangeMillis = Duration.between(from, to).toMillis();
            long bucketSeconds = Math.max(1, (long) Math.ceil(rangeMillis / 1000.0 / (points / 2 - 1)));
            return new Series(deviceId, metric, from, to, bucketSeconds, points(connection, """
                    WITH ranked AS (
                        SELECT observed_at, value,
                               row_number() OVER (PARTITION BY time_bucket(make_interval(secs => ?), observed_at)
                                                  ORDER BY value, observed_at) AS lowest,
                               row_number() OVER (PARTITION BY time_bucket(make_interval(secs => ?), observed_at)
                                                  ORDER BY value DESC, observed_at) AS highest
                        FROM reading_value
                        WHERE device_id = ? AND metric = ? AND observed_at >= ? AND observed_at < ?)
                    SELECT observed_at, value FROM ranked WHERE lowest = 1 OR highest = 1 ORDER BY observed_at""",
                    deviceId, metric, from, to, bucketSeconds));
        }
    }

    private static List<Point> points(Connection connection, String sql, String deviceId, String metric, Instant from,
                                      Instant to, Long bucketSeconds) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            int offset = 0;
            if (bucketSeconds != null) {
                query.setLong(1, bucketSeconds);
                query.setLong(2, bucketSeconds);
                offset = 2;
            }
            query.setString(offset + 1, deviceId);
            query.setString(offset + 2, metric);
            query.setTimestamp(offset + 3, Timestamp.from(from));
            query.setTimestamp(offset + 4, Timestamp.from(to));
            List<Point> points = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    points.add(new Point(rows.getTimestamp(1).toInstant(), rows.getDouble(2)));
                }
            }
            return points;
        }
    }

    private static void bindRange(PreparedStatement query, String deviceId, String metric, Instant from, Instant to)
            throws SQLException {
        query.setString(1, deviceId);
        query.setString(2, metric);
        query.setTimestamp(3, Timestamp.from(from));
        query.setTimestamp(4, Timestamp.from(to));
    }

    /** The newest value of each metric of each device, looked back at most {@code within}. */
    public List<Latest> latest(List<String> deviceIds, Duration within) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT DISTINCT ON (device_id, metric) device_id, metric, observed_at, value
                     FROM reading_value WHERE device_id = ANY (?) AND observed_at >= ?
                     ORDER BY device_id, metric, observed_at DESC""")) {
            query.setArray(1, connection.createArrayOf("text", deviceIds.toArray()));
            query.setTimestamp(2, Timestamp.from(Instant.now().minus(within)));
            List<Latest> latest = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    latest.add(new Latest(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                            rows.getDouble(4)));
                }
            }
            return latest;
        }
    }

    /** A device's metric per minute or per hour ({@code reading_1m}, {@code reading_1h}). */
    public List<Stats> stats(String deviceId, String metric, boolean hourly, Instant from, Instant to)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT bucket, samples, mean, low, high FROM "
                     + (hourly ? "reading_1h" : "reading_1m")
                     + " WHERE device_id = ? AND metric = ? AND bucket >= ? AND bucket < ? ORDER BY bucket")) {
            bindRange(query, deviceId, metric, from, to);
            List<Stats> stats = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stats.add(new Stats(rows.getTimestamp(1).toInstant(), rows.getLong(2), rows.getDouble(3),
                            rows.getDouble(4), rows.getDouble(5)));
                }
            }
            return stats;
        }
    }

    /** Alerts opened and resolved under an area (any level; null for all) per hour or per day, by kind. */
    public List<AlertCounts> alertCounts(String areaId, boolean daily, Instant from, Instant to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT time_bucket(?::interval, bucket) AS b, kind, sum(opened), sum(resolved), sum(events)
                     FROM alert_counts_1h
                     WHERE bucket >= ? AND bucket < ?
                       AND (?::text IS NULL OR ? IN (district_id, street_id, community_id, grid_id))
                     GROUP BY 1, 2 ORDER BY 1, 2""")) {
            query.setString(1, daily ? "1 day" : "1 hour");
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            query.setString(4, areaId);
            query.setString(5, areaId);
            List<AlertCounts> counts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.add(new AlertCounts(rows.getTimestamp(1).toInstant(), rows.getString(2), rows.getLong(3),
                            rows.getLong(4), rows.getLong(5)));
                }
            }
            return counts;
        }
    }

    /** Task stages ended under an area (any level; null for all) per day: counts, on time, mean and longest. */
    public List<StageTimes> stageTimes(String areaId, Instant from, Instant to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT bucket, stage, sum(ended), sum(on_time), sum(mean_seconds * ended) / sum(ended),
                            max(max_seconds)
                     FROM task_stages_1d
                     WHERE bucket >= ? AND bucket < ?
                       AND (?::text IS NULL OR ? IN (district_id, street_id, community_id, grid_id))
                     GROUP BY 1, 2 ORDER BY 1, 2""")) {
            query.setTimestamp(1, Timestamp.from(from));
            query.setTimestamp(2, Timestamp.from(to));
            query.setString(3, areaId);
            query.setString(4, areaId);
            List<StageTimes> stages = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stages.add(new StageTimes(rows.getTimestamp(1).toInstant(), rows.getString(2), rows.getLong(3),
                            rows.getLong(4), rows.getDouble(5), rows.getDouble(6)));
                }
            }
            return stages;
        }
    }

    /**
     * Writes a device's values in [from, to) as CSV ({@code observed_at,metric,value,event_id,received_at}),
     * oldest first, streaming from the database a few thousand rows at a time.
     */
    public void csv(String deviceId, Instant from, Instant to, Writer out) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            // A cursor (fetch size in a transaction) rather than the whole range in memory.
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT observed_at, metric, value, event_id, received_at FROM reading_value
                    WHERE device_id = ? AND observed_at >= ? AND observed_at < ? ORDER BY observed_at, metric""")) {
                query.setFetchSize(5_000);
                query.setString(1, deviceId);
                query.setTimestamp(2, Timestamp.from(from));
                query.setTimestamp(3, Timestamp.from(to));
                out.write("observed_at,metric,value,event_id,received_at\n");
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Timestamp received = rows.getTimestamp(5);
                        out.write(rows.getTimestamp(1).toInstant() + "," + csvText(rows.getString(2)) + ","
                                + rows.getDouble(3) + "," + csvText(rows.getString(4)) + ","
                                + (received == null ? "" : received.toInstant()) + "\n");
                    }
                }
            } finally {
                connection.rollback();
            }
        }
    }

    private static String csvText(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
