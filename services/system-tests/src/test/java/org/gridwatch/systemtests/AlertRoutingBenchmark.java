package org.gridwatch.systemtests;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.testsupport.BenchArgs;
import org.gridwatch.testsupport.Infrastructure;
import org.gridwatch.testsupport.Tokens;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Alert routing's latency as an operator sees it: detections written to Kafka at a steady rate,
 * through a real alert-routing process (with the registry, on the local stack's Kafka and
 * PostgreSQL), to the live-feed frame a console receives. Each detection makes one frame (an
 * alert opened, or a repeat counted); the latency of a frame is from the detection's time, set
 * when it is sent, to its arrival at the console. Run by {@code make bench}; writes a report.
 *
 * <p>Arguments: {@code --rate 1000} detections/s, {@code --seconds 40} measured after
 * {@code --warmup 180} s, {@code --subjects 2000} distinct subjects (the first detection of each
 * opens an alert, later ones repeat it), {@code --replicas 1} alert-routing processes sharing the
 * detections (the console reads the first; what the others commit reaches it through the
 * history), {@code --partitions} of the detections topic (one per replica unless told; with
 * fewer, a replica has no detections to apply), {@code --report target/bench/alert-routing.txt}.
 *
 * <p>The warm-up is long because the services' JIT compiler is still busy a minute after start (its
 * thread took 30 % of a core in a window starting at 60 s, 2-3 % from 180 s): a shorter one
 * measures start-up rather than the service operators live with. The window ends before the
 * alerts' second escalation (4 min after they opened, the critical policy); frames of escalations
 * are counted apart and not measured, as no detection caused them.
 */
public final class AlertRoutingBenchmark {

    private AlertRoutingBenchmark() {
    }

    /** Reads the feed's lines until the service closes the connection at the end of the run. */
    private static void readFeed(HttpResponse<Stream<String>> feed, Consumer<String> onLine) {
        try {
            feed.body().forEach(onLine);
        } catch (UncheckedIOException closed) {
            // The services stop when the run ends.
        }
    }

    /** The detections topic with this many partitions, made before any service subscribes to it. */
    private static void detectionPartitions(String bootstrap, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(Topics.DETECTIONS)) {
                admin.createTopics(List.of(new NewTopic(Topics.DETECTIONS, partitions, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
                return;
            }
            int existing = admin.describeTopics(List.of(Topics.DETECTIONS)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.DETECTIONS).partitions().size();
            if (existing < partitions) {
                admin.createPartitions(Map.of(Topics.DETECTIONS, NewPartitions.increaseTo(partitions)))
                        .all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.options(args);
        int rate = Integer.parseInt(options.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "40"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "180"));
        int subjects = Integer.parseInt(options.getOrDefault("subjects", "2000"));
        Path report = Path.of(options.getOrDefault("report", "target/bench/alert-routing.txt"));
        boolean trace = Boolean.parseBoolean(options.getOrDefault("trace", "false"));
        int replicas = Integer.parseInt(options.getOrDefault("replicas", "1"));
        Map<Long, Long> worstPerSecond = new java.util.concurrent.ConcurrentSkipListMap<>();
        List<Long> toRecorded = Collections.synchronizedList(new ArrayList<>());

        // The services as they would run in production (full JIT, a fixed heap), not as the tests start them.
        System.setProperty(ServiceProcess.JVM_OPTIONS, options.getOrDefault("service-jvm", "-Xms512m -Xmx512m"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", Integer.toString(replicas)));
        detectionPartitions(Infrastructure.get().kafkaBootstrap(), partitions);
        GridWatchSystem system = GridWatchSystem.start(List.of("registry", "alert-routing"));
        List<ServiceProcess> others = new ArrayList<>();
        for (int r = 2; r <= replicas; r++) {
            others.add(system.startInstance("alert-routing", "replica-" + r, Map.of()));
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        String kind = "bench.vital-signs-" + run;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong frames = new AtomicLong();
        AtomicLong otherFrames = new AtomicLong();
        Instant measureFrom = Instant.now().plusSeconds(warmup + 5);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> feed = http.send(HttpRequest.newBuilder(
                URI.create(system.service("alert-routing").baseUrl() + "/api/v1/alerts/feed"))
                .header("Accept", "text/event-stream").header("Authorization", Tokens.bearer(Tokens.person("admin")))
                .build(), HttpResponse.BodyHandlers.ofLines());
        Thread console = new Thread(() -> readFeed(feed, line -> {
            if (line.startsWith("data:")) {
                Instant arrived = Instant.now();
                JsonObject event = JsonParser.parseString(line.substring(5)).getAsJsonObject();
                if (!event.get("kind").getAsString().equals(kind)) {
                    return;
                }
                String type = event.get("type").getAsString();
                if (!type.equals("OPENED") && !type.equals("REPEATED")) {
                    otherFrames.incrementAndGet(); // escalations and reminders: a timer's, not a detection's
                    return;
                }
                frames.incrementAndGet();
                Instant detected = Instant.parse(event.get("occurredAt").getAsString());
                if (!detected.isBefore(measureFrom)) {
                    long micros = Duration.between(detected, arrived).toNanos() / 1_000;
                    latencies.add(micros);
                    if (trace) {
                        worstPerSecond.merge(detected.getEpochSecond(), micros, Math::max);
                        Instant recorded = Instant.parse(event.get("recordedAt").getAsString());
                        toRecorded.add(Duration.between(detected, recorded).toNanos() / 1_000);
                    }
                }
            }
        }), "bench-console");
        console.setDaemon(true);
        console.start();
        Thread.sleep(1_000);

        long sent = 0;
        long start = System.nanoTime();
        long total = (long) rate * (warmup + 5 + seconds);
        try (DetectionSender sender = new DetectionSender(system.endpoints().kafkaBootstrap())) {
            // In slices of 10 ms, each with its share of the rate, each detection timed when it is sent.
            while (sent < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                List<Detection> slice = new ArrayList<>();
                for (; sent < due; sent++) {
                    String subject = "bench-" + run + "-" + (sent % subjects);
                    slice.add(DetectionSender.raised(subject + ":" + sent, subject, kind, ""));
                }
                sender.sendNow(slice);
                Thread.sleep(10);
            }
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (frames.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        // The service's own view of where the time went (its timers decay over about two minutes,
        // so they speak mostly of the measured window): how old a batch's oldest detection is when
        // the batch starts (Kafka and the wait for the batch before), and how long applying it takes.
        StringBuilder serviceTimers = new StringBuilder();
        List<ServiceProcess> instances = new ArrayList<>(List.of(system.service("alert-routing")));
        instances.addAll(others);
        for (ServiceProcess instance : instances) {
            serviceTimers.append(String.format("  replica %d:%n", instances.indexOf(instance) + 1));
            http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/q/metrics")).build(),
                            HttpResponse.BodyHandlers.ofLines()).body()
                    .filter(line -> (line.startsWith("gridwatch_alerts_batch_") || line.startsWith("gridwatch_alerts_journal_"))
                            && (line.contains("quantile") || line.contains("_count")))
                    .forEach(line -> serviceTimers.append("    ").append(line).append(System.lineSeparator()));
        }

        List<Long> measured;
        synchronized (latencies) {
            measured = new ArrayList<>(latencies);
        }
        Collections.sort(measured);
        StringBuilder out = new StringBuilder();
        out.append(String.format("Alert routing, detection in Kafka to live-feed frame at the console%n"));
        out.append(String.format("Rate: %,d detections/s asked, %,.0f sent (%,d in %.1f s); %,d subjects, %d s "
                        + "warm-up then %d s measured; %d alert-routing replica(s), %d detection partition(s)%n", rate,
                sent / sendSeconds, sent, sendSeconds, subjects, warmup + 5, seconds, replicas, partitions));
        out.append(String.format("Frames: %,d of %,d detections reached the console%s (and %,d frames of "
                + "escalations)%n", frames.get(), sent, frames.get() == sent ? "" : "  << MISSING", otherFrames.get()));
        out.append(String.format("Latency over %,d frames: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms "
                        + "(goal: p99 under 50 ms)%n", measured.size(), BenchArgs.percentileMillis(measured, 50),
                BenchArgs.percentileMillis(measured, 95), BenchArgs.percentileMillis(measured, 99),
                BenchArgs.percentileMillis(measured, 100)));
        if (trace) {
            worstPerSecond.forEach((second, micros) -> System.out.printf("%d %.1f ms%n", second, micros / 1000.0));
            List<Long> recorded;
            synchronized (toRecorded) {
                recorded = new ArrayList<>(toRecorded);
            }
            Collections.sort(recorded);
            System.out.printf("detection to recorded: p50 %.1f ms, p99 %.1f ms%n",
                    BenchArgs.percentileMillis(recorded, 50), BenchArgs.percentileMillis(recorded, 99));
        }
        out.append(String.format("Service timers (seconds; batch.wait: oldest detection's age when its batch starts, "
                + "batch.time: applying the batch in one transaction, batch.size: detections, journal.wait: waiting "
                + "for the journal lock):%n")).append(serviceTimers);
        System.out.print(out);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out.toString());
        System.out.println("Written to " + report);
        System.exit(0);
    }
}
