package org.gridwatch.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * The transactional outbox of a service: an event is written to the service's own
 * {@code outbox} table in the same database transaction as the state change it describes, and a
 * relay publishes it to Kafka afterwards. A crash between the two publishes the event late, never
 * loses it; a crash after publishing and before deleting publishes it twice, which consumers
 * absorb by the event's id.
 *
 * <p>The table (created by the service's own migration):
 * <pre>
 * CREATE TABLE {schema}.outbox (
 *   seq bigserial PRIMARY KEY, topic text NOT NULL, record_key text NOT NULL,
 *   payload bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
 * </pre>
 * Several replicas may relay at once: rows are claimed with {@code FOR UPDATE SKIP LOCKED}.
 */
public final class Outbox {

    /** Sends one record to Kafka; the stage completes when Kafka has acknowledged it. */
    @FunctionalInterface
    public interface Publisher {
        CompletionStage<Void> publish(String topic, String key, byte[] payload);
    }

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    private final String table;

    public Outbox(String schema) {
        this.table = schema + ".outbox";
    }

    /** An event to add: where it goes and what it says. */
    public record Entry(String topic, String key, byte[] payload) {
    }

    /** Adds events inside the caller's transaction, in order, in one round trip. */
    public void addAll(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (topic, record_key, payload) VALUES (?, ?, ?)")) {
            for (Entry entry : entries) {
                insert.setString(1, entry.topic());
                insert.setString(2, entry.key());
                insert.setBytes(3, entry.payload());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Adds an event inside the caller's transaction. */
    public void add(Connection connection, String topic, String key, byte[] payload) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (topic, record_key, payload) VALUES (?, ?, ?)")) {
            insert.setString(1, topic);
            insert.setString(2, key);
            insert.setBytes(3, payload);
            insert.executeUpdate();
        }
    }

    /**
     * Publishes everything pending, {@code batch} events at a time; what fails stays for the next
     * call. Meant to be called on a short schedule by one bean of each service.
     */
    public void relayAll(DataSource dataSource, Publisher publisher, int batch) {
        try {
            while (relay(dataSource, publisher, batch) == batch) {
                // A full batch: more may be waiting.
            }
        } catch (SQLException e) {
            LOG.warnf("Outbox %s not reachable, will retry: %s", table, e.getMessage());
        }
    }

    /**
     * Publishes up to {@code limit} pending events in order and removes them once Kafka has them.
     * Returns how many were published; 0 when there was nothing to do or another replica holds them.
     */
    public int relay(DataSource dataSource, Publisher publisher, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                List<Long> sequence = new ArrayList<>();
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT seq, topic, record_key, payload FROM " + table
                                + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    select.setInt(1, limit);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            sequence.add(rows.getLong(1));
                            acks.add(publisher.publish(rows.getString(2), rows.getString(3), rows.getBytes(4))
                                    .toCompletableFuture());
                        }
                    }
                }
                if (sequence.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                // The removal need not wait for the disk: if a crash loses it, the events are published
                // again, which consumers absorb by id (above). Not waiting spares the service's commits,
                // which do wait, a disk flush every relay round.
                try (PreparedStatement delete = connection.prepareStatement(
                        "SET LOCAL synchronous_commit TO OFF; DELETE FROM " + table + " WHERE seq = ANY (?)")) {
                    delete.setArray(1, connection.createArrayOf("bigint", sequence.toArray()));
                    delete.execute();
                }
                connection.commit();
                return sequence.size();
            } catch (Exception e) {
                connection.rollback();
                if (e instanceof SQLException sql) {
                    throw sql;
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warnf("Outbox relay of %s failed, will retry: %s", table, e.getMessage());
                return 0;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }
}
