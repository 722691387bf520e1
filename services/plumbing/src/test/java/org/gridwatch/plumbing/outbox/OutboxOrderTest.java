package org.gridwatch.plumbing.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridwatch.testsupport.Endpoints;
import org.gridwatch.testsupport.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The outbox against a real PostgreSQL and a real Kafka broker, with two replicas relaying one
 * outbox: the events of each key reach the topic in the order they were written, though one
 * replica's round fails half-way while the other is ready to relay.
 */
class OutboxOrderTest {

    private static final List<String> KEYS = List.of("alert-a", "alert-b", "alert-c");
    private static final int EVENTS = 60;

    private final Endpoints endpoints = Infrastructure.get();
    private final String schema = "outbox_test_" + UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "gridwatch.test.outbox-order." + UUID.randomUUID();
    private PGSimpleDataSource dataSource;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void createOutboxAndTopic() throws Exception {
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(endpoints.jdbcUrl());
        dataSource.setUser(endpoints.jdbcUser());
        dataSource.setPassword(endpoints.jdbcPassword());
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + ".outbox (seq bigserial PRIMARY KEY, topic text NOT NULL, "
                    + "record_key text NOT NULL, payload bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void dropOutbox() throws SQLException {
        producer.close();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void eventsOfOneKeyArePublishedInCommitOrderThoughOneReplicaFailsMidRoundWhileAnotherRelays() throws Exception {
        Outbox outbox = new Outbox(schema);
        Map<String, List<String>> written = writeEvents(outbox);
        CountDownLatch replicaAMidRound = new CountDownLatch(1);
        CountDownLatch replicaBTried = new CountDownLatch(1);
        AtomicInteger sendsOfA = new AtomicInteger();
        // Replica A: Kafka takes its first four events, then goes away (slowly, as a broker does) for the rest of the round.
        Outbox.Publisher failingMidRound = (topic, key, payload) -> {
            int sent = sendsOfA.incrementAndGet();
            if (sent <= 4) {
                return kafka(topic, key, payload);
            }
            if (sent == 5) {
                replicaAMidRound.countDown();
                await(replicaBTried);
            }
            return CompletableFuture.failedFuture(new IllegalStateException("broker not available"));
        };

        CompletableFuture<Integer> replicaA = CompletableFuture.supplyAsync(() -> relay(outbox, failingMidRound, 20));
        await(replicaAMidRound);
        int relayedByB = relay(outbox, this::kafka, 20);
        replicaBTried.countDown();
        int relayedByA = replicaA.get(60, TimeUnit.SECONDS);
        // Kafka is back: either replica relays the rest.
        int rounds = 0;
        while (relay(outbox, this::kafka, 20) > 0 && ++rounds < 20) {
            // Until the outbox is empty.
        }

        assertThat(firstArrivals()).as("each key's events on the topic, in order of first arrival")
                .isEqualTo(written);
        assertThat(pending()).as("events left in the outbox").isZero();
        assertThat(relayedByB).as("replica B leaves the outbox to the replica relaying it").isZero();
        assertThat(relayedByA).as("replica A removes only what Kafka acknowledged").isEqualTo(4);
    }

    /** Writes the events, each key's numbered in the order written, in a few committed transactions. */
    private Map<String, List<String>> writeEvents(Outbox outbox) throws SQLException {
        Map<String, List<String>> written = new LinkedHashMap<>();
        KEYS.forEach(key -> written.put(key, new ArrayList<>()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            List<Outbox.Entry> entries = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                String key = KEYS.get(i % KEYS.size());
                String event = key + "#" + written.get(key).size();
                written.get(key).add(event);
                entries.add(new Outbox.Entry(topic, key, event.getBytes(StandardCharsets.UTF_8)));
                if (entries.size() == 10) {
                    outbox.addAll(connection, entries);
                    connection.commit();
                    entries.clear();
                }
            }
        }
        return written;
    }

    private int relay(Outbox outbox, Outbox.Publisher publisher, int limit) {
        try {
            return outbox.relay(dataSource, publisher, limit);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<Void> kafka(String topic, String key, byte[] payload) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key, payload), (metadata, failure) -> {
            if (failure == null) {
                ack.complete(null);
            } else {
                ack.completeExceptionally(failure);
            }
        });
        return ack;
    }

    private long pending() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT count(*) FROM " + schema + ".outbox")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Every event on the topic by key, each the first time it arrived (a repeat is absorbed by its id downstream). */
    private Map<String, List<String>> firstArrivals() {
        Map<String, List<String>> arrivals = new LinkedHashMap<>();
        KEYS.forEach(key -> arrivals.put(key, new ArrayList<>()));
        Set<String> seen = new HashSet<>();
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-order-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < EVENTS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String event = new String(record.value(), StandardCharsets.UTF_8);
                    if (seen.add(event)) {
                        arrivals.get(record.key()).add(event);
                    }
                }
            }
        }
        return arrivals;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The other replica did not get there in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
