package org.gridwatch.plumbing.outbox;

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

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The transactional outbox of a service: an event is written to the service's own
 * {@code outbox} table in the same database transaction as the state change it describes, and a
 * relay publishes it to Kafka afterwards. A crash between the two publishes the event late, never
 * loses it; a crash after publishing and before deleting publishes it again, which consumers
 * absorb by the event's id.
 *
 * <p>The table (created by the service's own migration):
 * <pre>
 * CREATE TABLE {schema}.outbox (
 *   seq bigserial PRIMARY KEY, topic text NOT NULL, record_key text NOT NULL,
 *   payload bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
 * </pre>
 *
 * <p>Events leave in the order they were written, whatever the number of replicas and whatever
 * fails: one relay at a time holds the outbox (a transaction-scoped advisory lock; a replica that
 * cannot take it leaves the round to the one that has it), it publishes the oldest events first,
 * removes only the unbroken run from the oldest that Kafka acknowledged, and starts the next round
 * from the first event Kafka did not take. The services write their events one transaction at a
 * time, so the order of {@code seq} is the order of commit. Within a round the producer (acks=all,
 * idempotent) keeps the order of each partition, so an event never overtakes an older one of the
 * same key.
 */
public final class Outbox {

    /** Sends one record to Kafka; the stage completes when Kafka has acknowledged it. */
    @FunctionalInterface
    public interface Publisher {
        CompletionStage<Void> publish(String topic, String key, byte[] payload);
    }

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final String table;

    public Outbox(String schema) {
        this.table = schema + ".outbox";
    }

    /** An event to add: where it goes and what it says. */
    public record Entry(String topic, String key, byte[] payload) {
    }

    /** A publisher that sends through a service's outgoing channel, to the record's own topic. */
    public static Publisher through(MutinyEmitter<byte[]> emitter) {
        return (topic, key, payload) -> emitter.sendMessage(Message.of(payload).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(key).build()))
                .subscribeAsCompletionStage();
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
     * Publishes up to {@code limit} pending events, oldest first, and removes those Kafka has
     * acknowledged without a gap from the oldest. Returns how many were removed: 0 when there was
     * nothing to do or another replica is relaying; fewer than were read when a send failed (the
     * next round starts from it).
     */
    public int relay(DataSource dataSource, Publisher publisher, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (!holdRelay(connection)) {
                    connection.commit();
                    return 0;
                }
                List<Long> sequence = new ArrayList<>();
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT seq, topic, record_key, payload FROM " + table + " ORDER BY seq LIMIT ?")) {
                    select.setInt(1, limit);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            sequence.add(rows.getLong(1));
                            acks.add(send(publisher, rows.getString(2), rows.getString(3), rows.getBytes(4)));
                        }
                    }
                }
                int acknowledged = acknowledgedRun(acks);
                if (acknowledged > 0) {
                    // The removal need not wait for the disk: if a crash loses it, the events are published
                    // again, which consumers absorb by id (above). Not waiting spares the service's commits,
                    // which do wait, a disk flush every relay round.
                    try (PreparedStatement delete = connection.prepareStatement(
                            "SET LOCAL synchronous_commit TO OFF; DELETE FROM " + table + " WHERE seq <= ?")) {
                        delete.setLong(1, sequence.get(acknowledged - 1));
                        delete.execute();
                    }
                }
                connection.commit();
                return acknowledged;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** Takes the outbox for this relay round, unless another replica is relaying it now. */
    private boolean holdRelay(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "gridwatch.outbox-relay:" + table);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static CompletableFuture<Void> send(Publisher publisher, String topic, String key, byte[] payload) {
        try {
            return publisher.publish(topic, key, payload).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits for every send of the round, then counts those acknowledged from the oldest up to the
     * first that was not: only they may be removed, so nothing newer is removed ahead of an older
     * event that has yet to go.
     */
    private int acknowledgedRun(List<CompletableFuture<Void>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return acks.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Some send failed or did not finish in time: the run up to it counts.
        }
        int run = 0;
        while (run < acks.size() && acks.get(run).isDone() && !acks.get(run).isCompletedExceptionally()) {
            run++;
        }
        Throwable cause = run < acks.size() ? acks.get(run).handle((ok, failure) -> failure).getNow(null) : null;
        LOG.warnf("Outbox relay of %s: %d of %d events acknowledged, the rest go again from the first that failed (%s)",
                table, run, acks.size(), cause == null ? "no answer within " + ACK_TIMEOUT_SECONDS + " s" : cause);
        return run;
    }
}
