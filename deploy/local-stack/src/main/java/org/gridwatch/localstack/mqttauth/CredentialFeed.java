package org.gridwatch.localstack.mqttauth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.contract.v1.RegistryRecord;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * The gateways' MQTT credentials as the registry topic last said, read by the broker's own
 * consumer (no group: every broker reads the whole compacted topic from its start), so that a
 * credential issued, rotated or revoked through the registry applies at the next CONNECT
 * without a restart.
 *
 * <p>A credential the broker has not seen may simply not have been read yet (issued a moment
 * ago): {@link #upToDate()} completes once everything on the topic at the time of asking has been
 * read, and the authenticator asks it before refusing anyone as unknown.
 */
public final class CredentialFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CredentialFeed.class.getName());
    private static final String KEY_PREFIX = "mqtt-credential/";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(2);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, MqttCredential> credentials = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
    private final Consumer<String> withdrawn;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param withdrawn told the principal whose credential was revoked, replaced or removed after
     *                  it had been read, so that an open session with the old secret is closed
     */
    public CredentialFeed(String bootstrapServers, Consumer<String> withdrawn) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "gridwatch-mqtt-broker-credentials");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Never create the topic by asking for it: the registry creates it with its compaction policy.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.withdrawn = withdrawn;
        this.thread = new Thread(this::run, "mqtt-credential-feed");
        this.thread.setDaemon(true);
    }

    public CredentialFeed start() {
        thread.start();
        return this;
    }

    /** The credential of a gateway as last read, revoked ones included. */
    public Optional<MqttCredential> credential(String principal) {
        return Optional.ofNullable(credentials.get(principal));
    }

    /** Completes once every record on the registry topic at the time of the call has been read. */
    public CompletableFuture<Void> upToDate() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        waiting.add(future);
        return future;
    }

    private void run() {
        TopicPartition partition = null;
        while (running) {
            try {
                if (partition == null) {
                    partition = assign();
                    if (partition == null) {
                        // No registry topic yet: nothing issued, so everything on it has been read.
                        completeWaiting();
                        sleep(TOPIC_RETRY);
                        continue;
                    }
                }
                List<CompletableFuture<Void>> asked = drainWaiting();
                try {
                    long end = asked.isEmpty() ? -1 : consumer.endOffsets(List.of(partition)).get(partition);
                    do {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                            apply(record.key(), record.value());
                        }
                    } while (running && consumer.position(partition) < end);
                    asked.forEach(future -> future.complete(null));
                } catch (RuntimeException e) {
                    // Kafka unreachable: the askers decide with what has been read.
                    asked.forEach(future -> future.completeExceptionally(e));
                    throw e;
                }
            } catch (WakeupException e) {
                // close() asked us to stop.
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Reading the registry's credentials failed; trying again", e);
                sleep(TOPIC_RETRY);
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private TopicPartition assign() {
        List<PartitionInfo> partitions = consumer.partitionsFor(Topics.REGISTRY, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            return null;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (assigned.size() != 1) {
            throw new IllegalStateException(Topics.REGISTRY + " has " + assigned.size() + " partitions; it must have one");
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return assigned.get(0);
    }

    void apply(String key, byte[] value) {
        if (key == null || !key.startsWith(KEY_PREFIX)) {
            return;
        }
        String principal = key.substring(KEY_PREFIX.length());
        MqttCredential before;
        if (value == null) {
            before = credentials.remove(principal);
        } else {
            try {
                MqttCredential credential = RegistryRecord.parseFrom(value).getMqttCredential();
                before = credentials.put(principal, credential);
                if (before != null && !credential.hasRevokedAt() && before.getHash().equals(credential.getHash())) {
                    return;
                }
            } catch (InvalidProtocolBufferException e) {
                LOG.warning("Skipped an undecodable credential record for " + principal + ": " + e.getMessage());
                return;
            }
        }
        if (before != null && !before.hasRevokedAt()) {
            withdrawn.accept(principal);
        }
    }

    private List<CompletableFuture<Void>> drainWaiting() {
        List<CompletableFuture<Void>> drained = new ArrayList<>();
        for (CompletableFuture<Void> future; (future = waiting.poll()) != null; ) {
            drained.add(future);
        }
        return drained;
    }

    private void completeWaiting() {
        drainWaiting().forEach(future -> future.complete(null));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
