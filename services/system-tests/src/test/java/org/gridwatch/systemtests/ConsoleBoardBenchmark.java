package org.gridwatch.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.BenchArgs;
import org.gridwatch.testsupport.Infrastructure;
import org.openqa.selenium.By;

import com.google.protobuf.util.Timestamps;

/**
 * The live board under a full screen of alerts ({@code make bench-console}): N open alerts in the
 * operator's community (500 by default, raised as detections on the topic), then, in a real
 * browser, the board opened again and again (Navigation Timing: DOMContentLoaded and load, median
 * of the runs) and new alerts raised one by one while it is open (from the API listing them to the
 * row on the page, median and worst), with the JavaScript the page loaded. Writes
 * {@code target/bench/console.txt}. Measured, never asserted.
 */
public final class ConsoleBoardBenchmark {

    private static final List<String> UNITS = List.of("b1-101", "b1-201", "b1-301", "b2-101", "b2-201", "b2-301",
            "b3-101", "b3-201", "b3-301", "b4-101", "b4-201", "b4-301");

    private ConsoleBoardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.options(args);
        int alerts = Integer.parseInt(options.getOrDefault("alerts", "500"));
        int loads = Integer.parseInt(options.getOrDefault("loads", "7"));
        int probes = Integer.parseInt(options.getOrDefault("probes", "10"));
        Path report = Path.of(options.getOrDefault("report", "target/bench/console.txt"));
        System.setProperty(ServiceProcess.JVM_OPTIONS, options.getOrDefault("service-jvm", "-Xms384m -Xmx384m"));
        GridWatchSystem system = GridWatchSystem.start(List.of("registry", "alert-routing", "grid-dispatch", "telemetry",
                GridWatchSystem.CONSOLE));
        String run = Long.toString(System.currentTimeMillis(), 36);
        String kind = "bench.board-" + run;

        try (DetectionSender sender = new DetectionSender(Infrastructure.get().kafkaBootstrap())) {
            List<Detection> detections = new ArrayList<>();
            for (int i = 0; i < alerts; i++) {
                detections.add(detection(run, kind, i));
            }
            sender.send(detections);
            awaitOpen(system, kind, alerts);

            List<Long> domReady = new ArrayList<>();
            List<Long> loaded = new ArrayList<>();
            long scriptBytes = 0;
            long scriptUnpacked = 0;
            int rows = 0;
            List<Long> shown = new ArrayList<>();
            try (Browser browser = Browser.open(1920, 1080)) {
                String console = system.service(GridWatchSystem.CONSOLE).baseUrl();
                browser.signIn(console, "op-lf-c1");
                for (int i = 0; i < loads; i++) {
                    browser.driver().get(console + "/");
                    browser.waitFor(Duration.ofSeconds(30)).until(d -> "open".equals(
                            d.findElement(By.id("live")).getAttribute("data-state")));
                    List<?> timing = (List<?>) browser.script("""
                            const nav = performance.getEntriesByType('navigation')[0];
                            const scripts = performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script');
                            return [nav.domContentLoadedEventEnd, nav.loadEventEnd,
                                    scripts.reduce((n, r) => n + r.encodedBodySize, 0),
                                    scripts.reduce((n, r) => n + r.decodedBodySize, 0)];""");
                    domReady.add(Math.round(((Number) timing.get(0)).doubleValue()));
                    loaded.add(Math.round(((Number) timing.get(1)).doubleValue()));
                    if (i == 0) {
                        // The first load fetches the scripts; later ones take them from the cache.
                        scriptBytes = ((Number) timing.get(2)).longValue();
                        scriptUnpacked = ((Number) timing.get(3)).longValue();
                    }
                    rows = browser.all("[data-alert-id]").size();
                }
                browser.watchAlertRows();
                for (int p = 0; p < probes; p++) {
                    Detection probe = detection(run + "-probe", kind + "-probe", p);
                    sender.send(List.of(probe));
                    String alertId = awaitAlertOf(system, probe.getSubjectId());
                    long listedAt = System.currentTimeMillis();
                    browser.waitFor(Duration.ofSeconds(30)).until(d -> browser.seenAt(alertId) != null);
                    long seenAt = browser.seenAt(alertId);
                    shown.add(seenAt - listedAt);
                    Thread.sleep(500);
                }
                browser.screenshot("board-" + alerts + "-alerts");
            }
            String text = String.format("""
                    GridWatch console: the live board with %d open alerts (%d rows on the page), one browser, 2 cores
                    board load, %d runs: DOMContentLoaded median %d ms (max %d), load median %d ms (max %d)
                    JavaScript of the page: %d bytes sent, %d bytes unpacked
                    new alert while open, %d probes: shown %d ms median, %d ms worst after the API first listed it
                    """, alerts, rows, loads, median(domReady), max(domReady), median(loaded), max(loaded), scriptBytes,
                    scriptUnpacked, probes, median(shown), max(shown));
            System.out.print(text);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, text);
        }
        System.exit(0);
    }

    private static Detection detection(String run, String kind, int i) {
        String subject = "bench-" + run + "-" + i;
        Severity severity = i % 10 == 0 ? Severity.CRITICAL : i % 3 == 0 ? Severity.INFO : Severity.WARNING;
        return Detection.newBuilder().setDetectionId(subject + "-raised").setPhase(Detection.Phase.RAISED).setKind(kind)
                .setSeverity(severity).setSubjectId(subject).setDeviceId(subject).setAreaId(UNITS.get(i % UNITS.size()))
                .setDetectedAt(Timestamps.fromMillis(System.currentTimeMillis()))
                .setSummary("benchmark alert " + i + " of " + kind).build();
    }

    private static void awaitOpen(GridWatchSystem system, String kind, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            int open = system.get("alert-routing", "/api/v1/alerts?state=OPEN&limit=1000&kind=" + kind).getAsJsonArray().size();
            if (open >= count) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("the " + count + " alerts did not open within 5 minutes");
    }

    private static String awaitAlertOf(GridWatchSystem system, String subject) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            for (var alert : system.get("alert-routing", "/api/v1/alerts?state=OPEN&limit=1000").getAsJsonArray()) {
                if (alert.getAsJsonObject().get("subjectId").getAsString().equals(subject)) {
                    return alert.getAsJsonObject().get("alertId").getAsString();
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no alert for " + subject);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
