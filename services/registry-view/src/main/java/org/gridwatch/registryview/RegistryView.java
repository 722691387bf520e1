package org.gridwatch.registryview;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gridwatch.contract.Serdes;
import org.gridwatch.contract.TopicAdmin;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.RegistryRecord;

/**
 * A local, always-current copy of the registry: reads the compacted registry topic from the
 * beginning, then follows it. Every instance reads all partitions (no consumer group), so each
 * replica of a service has the whole registry.
 */
public final class RegistryView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RegistryView.class.getName());

    private final String bootstrapServers;
    private final RegistryState state = new RegistryState();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, RegistryRecord> consumer;
    private volatile boolean running;
    private Thread thread;

    public RegistryView(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "registry-view");
        thread.setDaemon(true);
        thread.start();
    }

    public RegistryState state() {
        return state;
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until everything on the registry topic at start-up time has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (running) {
            try {
                TopicAdmin.ensureTopics(bootstrapServers, List.of(Topics.REGISTRY));
                follow();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "Registry view lost the registry topic, retrying: " + e.getMessage());
                sleepQuietly(2_000);
            }
        }
    }

    private void follow() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "registry-view-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, RegistryRecord> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                new Serdes.RegistryRecordSerde())) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(Topics.REGISTRY, Duration.ofSeconds(30)).stream()
                    .map(PartitionInfo::partition).map(p -> new TopicPartition(Topics.REGISTRY, p)).toList();
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = new HashMap<>(kafka.endOffsets(partitions));
            while (running) {
                for (ConsumerRecord<String, RegistryRecord> record : kafka.poll(Duration.ofMillis(500))) {
                    try {
                        state.apply(record.key(), record.value());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Skipping bad registry record " + record.key() + ": " + e.getMessage());
                    }
                }
                if (!isCaughtUp() && reached(kafka, endAtStart)) {
                    caughtUp.countDown();
                    LOG.info("Registry view caught up: " + state.devices().size() + " devices, "
                            + state.areas().size() + " areas, " + state.workers().size() + " workers");
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> kafka, Map<TopicPartition, Long> targets) {
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            if (kafka.position(target.getKey()) < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, RegistryRecord> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
