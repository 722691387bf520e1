package org.gridwatch.detection.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.gridwatch.contract.Serdes.DetectionSerde;
import org.gridwatch.contract.Serdes.ReadingSerde;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.TopicAdmin;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.detection.eval.Evaluation;
import org.gridwatch.detection.kafka.DetectionTopology;
import org.gridwatch.detection.kafka.TestConfig;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.testsupport.Endpoints;
import org.gridwatch.testsupport.Infrastructure;
import org.jboss.logmanager.LogContext;

/**
 * Detection alone on a real Kafka broker, with every shipped rule over a registry of 100,000
 * devices, run as in production (exactly-once, commit every 100 ms, one stream thread).
 * <ol>
 *   <li>Throughput: a backlog of readings is produced first, then detection starts and works
 *       through it; readings/s = backlog / time from start to caught up.</li>
 *   <li>Latency: readings at a steady rate, 1 % of them probes (a smoke detector's tamper flag
 *       toggling, which raises or clears a detection at once); latency = from the probe's send
 *       to its detection read back (read_committed), p50 and p99.</li>
 * </ol>
 * <pre>
 *   make bench     (or: DetectionBenchmark --devices 100000 --backlog 2000000 --rate 10000 --seconds 60)
 * </pre>
 */
public final class DetectionBenchmark {

    private DetectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Evaluation.options(args);
        int devices = Integer.parseInt(options.getOrDefault("devices", "100000"));
        int backlog = Integer.parseInt(options.getOrDefault("backlog", "2000000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "10000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        Path registryData = Path.of(options.getOrDefault("registry-data", "services/registry/src/main/resources"));
        Path report = Path.of(options.getOrDefault("report", "target/bench/detection.txt"));
        LogContext.getLogContext().getLogger("").setLevel(Level.WARNING);

        Endpoints endpoints = Infrastructure.get();
        RegistryState registry = Evaluation.shippedRegistry(registryData);
        BenchCommunity community = new BenchCommunity(registry, devices);
        TopicAdmin.ensureTopics(endpoints.kafkaBootstrap(), List.of(Topics.READINGS, Topics.GATEWAY_STATUS,
                Topics.DETECTIONS));

        StringBuilder out = new StringBuilder();
        out.append(String.format("Detection benchmark, %s: %,d devices, %d rules, %d stream thread(s), %d cores%n",
                Instant.now(), community.size(), registry.rules().size(), threads,
                Runtime.getRuntime().availableProcessors()));

        try (KafkaProducer<String, Reading> producer = producer(endpoints)) {
            long produceStart = System.nanoTime();
            for (int i = 0; i < backlog; i++) {
                Reading reading = community.reading(i, Instant.now(), false);
                producer.send(new ProducerRecord<>(Topics.READINGS, reading.getDeviceId(), reading));
            }
            producer.flush();
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
            out.append(String.format("Backlog: %,d readings produced in %.1f s%n", backlog, produceSeconds));

            String applicationId = "gridwatch-detection-bench-" + UUID.randomUUID().toString().substring(0, 8);
            Path stateDir = Files.createTempDirectory("gridwatch-bench-state");
            KafkaStreams streams = new KafkaStreams(DetectionTopology.build(TestConfig.defaults(), registry),
                    streamsProperties(endpoints, applicationId, stateDir, threads));
            long streamStart = System.nanoTime();
            streams.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap()))) {
                waitCaughtUp(admin, applicationId, Duration.ofMinutes(20));
                double streamSeconds = (System.nanoTime() - streamStart) / 1e9;
                out.append(String.format("Throughput: %,d readings in %.1f s from start to caught up: %,.0f readings/s "
                        + "(start-up included)%n", backlog, streamSeconds, backlog / streamSeconds));

                List<Long> latencies = latencyRun(endpoints, producer, community, rate, seconds, out);
                out.append(String.format("Latency at %,d readings/s for %d s: %d probe detections, p50 %d ms, p99 %d ms, "
                        + "max %d ms%n", rate, seconds, latencies.size(), percentile(latencies, 50),
                        percentile(latencies, 99), percentile(latencies, 100)));
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
        System.out.print(out);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out.toString());
        System.out.println("Written to " + report);
        System.exit(0);
    }

    private static List<Long> latencyRun(Endpoints endpoints, KafkaProducer<String, Reading> producer,
                                         BenchCommunity community, int rate, int seconds, StringBuilder out)
            throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicBoolean listening = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, Detection> detections = new KafkaConsumer<>(props, new StringDeserializer(),
                    new DetectionSerde().deserializer())) {
                detections.subscribe(List.of(Topics.DETECTIONS));
                while (listening.get()) {
                    for (ConsumerRecord<String, Detection> record : detections.poll(Duration.ofMillis(100))) {
                        Detection detection = record.value();
                        if (detection.getEvidence().getRuleId().equals("D4")) {
                            latencies.add(System.currentTimeMillis()
                                    - Timestamps.toInstant(detection.getConditionSince()).toEpochMilli());
                        }
                    }
                }
            }
        }, "latency-consumer");
        consumer.start();
        Thread.sleep(3000);
        long startNanos = System.nanoTime();
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long due = startNanos + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Reading reading = community.reading((int) (i % Integer.MAX_VALUE), Instant.now(), i % 100 == 0);
            producer.send(new ProducerRecord<>(Topics.READINGS, reading.getDeviceId(), reading));
        }
        producer.flush();
        double achieved = total / ((System.nanoTime() - startNanos) / 1e9);
        out.append(String.format("Steady load: %,d readings sent at %,.0f readings/s%n", total, achieved));
        Thread.sleep(5000);
        listening.set(false);
        consumer.join();
        return new ArrayList<>(latencies);
    }

    private static long percentile(List<Long> values, int percentile) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void waitCaughtUp(Admin admin, String groupId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<TopicPartition> partitions = new java.util.HashSet<>();
        for (int p = 0; p < Topics.spec(Topics.READINGS).partitions(); p++) {
            partitions.add(new TopicPartition(Topics.READINGS, p));
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            boolean caughtUp = partitions.stream().allMatch(tp -> committed.get(tp) != null
                    && committed.get(tp).offset() >= ends.get(tp));
            if (caughtUp) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Detection did not catch up within " + timeout);
    }

    private static KafkaProducer<String, Reading> producer(Endpoints endpoints) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ReadingSerde().serializer());
    }

    /** The production settings of application.properties that matter for speed and safety. */
    private static Properties streamsProperties(Endpoints endpoints, String applicationId, Path stateDir, int threads) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 131072);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 10);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return props;
    }
}
