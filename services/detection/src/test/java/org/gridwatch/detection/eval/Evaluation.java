package org.gridwatch.detection.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;

import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.detection.backtest.Replay;
import org.gridwatch.detection.kafka.TestConfig;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.simulator.corpus.CorpusFile;
import org.gridwatch.simulator.corpus.CorpusGenerator;
import org.gridwatch.simulator.corpus.Label;
import org.jboss.logmanager.LogContext;

/**
 * Scores the detection topology on a labelled corpus: replays its traffic through the production
 * topology (in memory, on the corpus's clock) with the shipped rules, then matches every raised
 * detection to the ground truth. Per rule: incidents caught and missed, false alarms, detections
 * tolerated on confounders (cooking smoke may be a WARNING), and detection delay from the
 * incident's start, against the rule's own duration plus 5 s.
 * <pre>
 *   make eval      (or: Evaluation --corpus DIR --registry-data DIR --csv FILE [--regenerate true]
 *                   [--residents 200 --elevators 20 --days 2 --repeats 3 --seed 7])
 * </pre>
 */
public final class Evaluation {

    /** How late after its rule's own duration a detection may come. */
    public static final Duration DELAY_GOAL_SLACK = Duration.ofSeconds(5);
    /** The false-alarm goal, per 100 resident-days of the corpus. */
    public static final double FALSE_ALARM_GOAL = 1.0;

    public record RuleScore(String ruleId, String kind, int incidents, int caught, List<String> missed,
                            int falseAlarms, int tolerated, List<Long> delaysMs, long allowedDelayMs) {

        long delayPercentileMs(double percentile) {
            if (delaysMs.isEmpty()) {
                return 0;
            }
            List<Long> sorted = delaysMs.stream().sorted().toList();
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        boolean meetsGoal() {
            return caught == incidents && delaysMs.stream().allMatch(d -> d <= allowedDelayMs);
        }
    }

    public record Result(List<RuleScore> rules, long records, int residents, int days, List<String> falseAlarmDetails,
                         Duration replayTime) {

        int falseAlarms() {
            return rules.stream().mapToInt(RuleScore::falseAlarms).sum();
        }

        double falseAlarmsPer100ResidentDays() {
            return falseAlarms() * 100.0 / Math.max(1, residents * days);
        }

        public boolean meetsGoal() {
            return rules.stream().allMatch(RuleScore::meetsGoal) && falseAlarmsPer100ResidentDays() <= FALSE_ALARM_GOAL;
        }

        public int incidents() {
            return rules.stream().mapToInt(RuleScore::incidents).sum();
        }

        public int caught() {
            return rules.stream().mapToInt(RuleScore::caught).sum();
        }
    }

    private Evaluation() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        Path corpus = Path.of(options.getOrDefault("corpus", "target/corpus"));
        Path registryData = Path.of(options.getOrDefault("registry-data", "services/registry/src/main/resources"));
        Path csv = Path.of(options.getOrDefault("csv", corpus.resolve("eval.csv").toString()));
        if (Boolean.parseBoolean(options.getOrDefault("regenerate", "false"))
                || !Files.exists(corpus.resolve(CorpusFile.TRAFFIC))) {
            // The generator's own options (--residents, --elevators, --days, --repeats, --seed) pass through.
            List<String> generatorArgs = new ArrayList<>(List.of(args));
            generatorArgs.addAll(List.of("--out", corpus.toString()));
            CorpusGenerator.Summary summary = CorpusGenerator.generate(
                    CorpusGenerator.Options.parse(generatorArgs.toArray(String[]::new)));
            System.out.printf("Generated a corpus in %s: %d residents and %d elevators over %d days, %,d records, "
                            + "%d incidents, %d confounders%n", corpus, summary.residents(), summary.elevators(),
                    summary.days(), summary.records(), summary.incidents(), summary.confounders());
        }
        Result result = run(corpus, registryData);
        System.out.print(table(result));
        Files.writeString(csv, csv(result));
        System.out.println("Written to " + csv);
        System.exit(result.meetsGoal() ? 0 : 1);
    }

    public static Result run(Path corpus, Path registryData) throws IOException {
        // Outside Quarkus nothing sets log levels, and Kafka's per-record trace logging would
        // cost more than detection itself.
        LogContext.getLogContext().getLogger("").setLevel(Level.WARNING);
        RegistryState registry = shippedRegistry(registryData);
        load(registry, corpus.resolve(CorpusFile.REGISTRY));
        List<Label> labels = Label.parseCsv(Files.readAllLines(corpus.resolve(CorpusFile.LABELS)));
        int residents = registry.residents().size();

        long startedAt = System.nanoTime();
        List<Detection> raised = new ArrayList<>();
        long records = 0;
        Instant last = CorpusGenerator.START;
        try (Replay replay = new Replay(TestConfig.defaults(), registry, CorpusGenerator.START);
             CorpusFile.Reader traffic = new CorpusFile.Reader(corpus.resolve(CorpusFile.TRAFFIC))) {
            for (CorpusFile.Entry entry = traffic.next(); entry != null; entry = traffic.next()) {
                if (entry.reading() != null) {
                    replay.reading(entry.reading());
                    last = Timestamps.toInstant(entry.reading().getReceivedAt());
                } else {
                    replay.status(entry.status());
                }
                records++;
                for (Detection detection : replay.detections()) {
                    if (detection.getPhase() == Detection.Phase.RAISED) {
                        raised.add(detection);
                    }
                }
            }
            replay.advanceTo(last.plusSeconds(1));
            replay.detections().stream().filter(d -> d.getPhase() == Detection.Phase.RAISED).forEach(raised::add);
        }
        Duration replayTime = Duration.ofNanos(System.nanoTime() - startedAt);
        int days = (int) Math.max(1, Math.round(Duration.between(CorpusGenerator.START, last).toHours() / 24.0));
        return score(registry, labels, raised, records, residents, days, replayTime);
    }

    static Result score(RegistryState registry, List<Label> labels, List<Detection> raised, long records,
                        int residents, int days, Duration replayTime) {
        Map<String, List<Label>> incidentsByRule = new TreeMap<>();
        Map<String, Long> firstCaught = new HashMap<>();
        for (Label label : labels) {
            if (label.type() == Label.Type.INCIDENT) {
                incidentsByRule.computeIfAbsent(label.ruleId(), id -> new ArrayList<>()).add(label);
            }
        }
        Map<String, Integer> falseAlarms = new HashMap<>();
        Map<String, Integer> tolerated = new HashMap<>();
        List<String> details = new ArrayList<>();
        for (Detection detection : raised) {
            String ruleId = detection.getEvidence().getRuleId();
            Instant at = Timestamps.toInstant(detection.getDetectedAt());
            long allowed = allowedDelayMs(registry.rule(ruleId).orElse(null));
            Label incident = find(labels, Label.Type.INCIDENT, ruleId, detection.getSubjectId(), at, allowed);
            if (incident != null) {
                firstCaught.merge(key(incident), at.toEpochMilli() - incident.start().toEpochMilli(), Math::min);
                continue;
            }
            Label confounder = find(labels, Label.Type.CONFOUNDER, ruleId, detection.getSubjectId(), at, allowed);
            if (confounder != null && !confounder.allowedSeverity().isEmpty()
                    && detection.getSeverity().getNumber() <= Severity.valueOf(confounder.allowedSeverity()).getNumber()) {
                tolerated.merge(ruleId, 1, Integer::sum);
                continue;
            }
            falseAlarms.merge(ruleId, 1, Integer::sum);
            details.add(ruleId + " " + detection.getSeverity() + " on " + detection.getSubjectId() + " at " + at
                    + (confounder != null ? " during confounder: " + confounder.note() : "") + ": "
                    + detection.getSummary());
        }
        Map<String, RuleScore> scores = new LinkedHashMap<>();
        for (Rule rule : new TreeMap<>(registry.rulesById()).values()) {
            List<Label> incidents = incidentsByRule.getOrDefault(rule.getId(), List.of());
            List<Long> delays = new ArrayList<>();
            List<String> missed = new ArrayList<>();
            for (Label incident : incidents) {
                Long delay = firstCaught.get(key(incident));
                if (delay == null) {
                    missed.add(incident.subjectId() + " at " + incident.start() + " (" + incident.note() + ")");
                } else {
                    delays.add(delay);
                }
            }
            scores.put(rule.getId(), new RuleScore(rule.getId(), rule.getKind(), incidents.size(), delays.size(), missed,
                    falseAlarms.getOrDefault(rule.getId(), 0), tolerated.getOrDefault(rule.getId(), 0), delays,
                    allowedDelayMs(rule)));
        }
        return new Result(List.copyOf(scores.values()), records, residents, days, details, replayTime);
    }

    /** The label of the given type for this rule and subject whose time span (plus the rule's time) holds the moment. */
    private static Label find(List<Label> labels, Label.Type type, String ruleId, String subjectId, Instant at,
                              long allowedDelayMs) {
        for (Label label : labels) {
            if (label.type() == type && label.ruleId().equals(ruleId) && label.subjectId().equals(subjectId)
                    && !at.isBefore(label.start())
                    && !at.isAfter(label.end().plusMillis(allowedDelayMs).plusSeconds(60))) {
                return label;
            }
        }
        return null;
    }

    private static String key(Label label) {
        return label.ruleId() + "|" + label.subjectId() + "|" + label.start();
    }

    /** The rule's own duration (how long its condition must last before it may raise) plus the slack of the goal. */
    static long allowedDelayMs(Rule rule) {
        if (rule == null) {
            return DELAY_GOAL_SLACK.toMillis();
        }
        long seconds = switch (rule.getConditionCase()) {
            case THRESHOLD -> rule.getThreshold().getSustainSeconds();
            case PATTERN -> rule.getPattern().getSustainSeconds();
            case NO_DATA -> rule.getNoData().getAfterSeconds();
            // A window rule (I4) may only raise once its whole window has passed.
            case NO_ACTIVITY -> rule.hasActiveHours() ? windowSeconds(rule.getActiveHours())
                    : rule.getNoActivity().getAfterSeconds();
            case RATE_OF_CHANGE -> rule.getRateOfChange().getWindowSeconds();
            case REPEATED -> rule.getRepeated().getWindowSeconds();
            default -> 0;
        };
        return seconds * 1000 + DELAY_GOAL_SLACK.toMillis();
    }

    private static long windowSeconds(Rule.TimeWindow window) {
        long seconds = java.time.Duration.between(java.time.LocalTime.parse(window.getStart()),
                java.time.LocalTime.parse(window.getEnd())).toSeconds();
        return seconds <= 0 ? seconds + 86_400 : seconds;
    }

    static String table(Result result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nDetection accuracy on %,d records: %d residents over %d days (%d resident-days), "
                        + "replayed in %d s%n%n", result.records(), result.residents(), result.days(),
                result.residents() * result.days(), result.replayTime().toSeconds()));
        out.append(String.format("%-12s %-36s %9s %6s %6s %6s %9s %10s %10s %10s  %s%n", "rule", "kind", "incidents",
                "caught", "missed", "false", "tolerated", "median s", "p95 s", "allowed s", "goal"));
        for (RuleScore score : result.rules()) {
            out.append(String.format("%-12s %-36s %9d %6d %6d %6d %9d %10.1f %10.1f %10.1f  %s%n", score.ruleId(),
                    score.kind(), score.incidents(), score.caught(), score.incidents() - score.caught(),
                    score.falseAlarms(), score.tolerated(), score.delayPercentileMs(50) / 1000.0,
                    score.delayPercentileMs(95) / 1000.0, score.allowedDelayMs() / 1000.0,
                    score.incidents() == 0 ? "no incident" : score.meetsGoal() ? "met" : "MISSED"));
        }
        out.append(String.format("%nIncidents caught: %d of %d. False alarms: %d, %.2f per 100 resident-days "
                        + "(goal at most %.1f). Goal %s.%n", result.caught(), result.incidents(), result.falseAlarms(),
                result.falseAlarmsPer100ResidentDays(), FALSE_ALARM_GOAL, result.meetsGoal() ? "met" : "NOT met"));
        for (RuleScore score : result.rules()) {
            score.missed().forEach(missed -> out.append("  missed ").append(score.ruleId()).append(": ").append(missed)
                    .append('\n'));
        }
        result.falseAlarmDetails().forEach(detail -> out.append("  false alarm ").append(detail).append('\n'));
        return out.toString();
    }

    static String csv(Result result) {
        StringBuilder out = new StringBuilder(
                "rule,kind,incidents,caught,missed,false_alarms,tolerated,delay_median_s,delay_p95_s,allowed_delay_s,goal\n");
        for (RuleScore score : result.rules()) {
            out.append(String.join(",", score.ruleId(), score.kind(), String.valueOf(score.incidents()),
                    String.valueOf(score.caught()), String.valueOf(score.incidents() - score.caught()),
                    String.valueOf(score.falseAlarms()), String.valueOf(score.tolerated()),
                    String.valueOf(score.delayPercentileMs(50) / 1000.0), String.valueOf(score.delayPercentileMs(95) / 1000.0),
                    String.valueOf(score.allowedDelayMs() / 1000.0),
                    score.incidents() == 0 ? "no incident" : score.meetsGoal() ? "met" : "missed")).append('\n');
        }
        return out.toString();
    }

    /** A registry holding the shipped sensor types and rules (the registry service's seed files). */
    public static RegistryState shippedRegistry(Path registryData) throws IOException {
        RegistryState registry = new RegistryState();
        load(registry, registryData.resolve("sensor-types.json"));
        load(registry, registryData.resolve("rules.json"));
        return registry;
    }

    private static void load(RegistryState registry, Path file) throws IOException {
        try {
            registry.applyAll(ProtoJson.mergeJson(Files.readString(file), RegistrySnapshot.newBuilder()).build());
        } catch (PayloadException e) {
            throw new IOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** "--name value" pairs. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
