package org.gridwatch.simulator.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.v1.GatewayStatus;

/**
 * Generates the labelled corpus that {@code make eval} scores detection on: normal days of a
 * community of people living alone and its elevators, with the confounders known to trap rules,
 * and injected incidents of every rule with their ground truth.
 * <pre>
 *   java -cp ... org.gridwatch.simulator.corpus.CorpusGenerator --residents 200 --elevators 20 --days 2 --out DIR
 * </pre>
 * Writes {@value CorpusFile#REGISTRY} (the community), {@value CorpusFile#TRAFFIC} (every record
 * in the order received) and {@value CorpusFile#LABELS} (incidents and confounders).
 */
public final class CorpusGenerator {

    /** Monday 2 November 2026, midnight in Shanghai. */
    public static final Instant START = Instant.parse("2026-11-01T16:00:00Z");

    public record Options(int residents, int elevators, int days, int repeats, long seed, Path out) {

        public static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Options(Integer.parseInt(values.getOrDefault("residents", "200")),
                    Integer.parseInt(values.getOrDefault("elevators", "20")),
                    Integer.parseInt(values.getOrDefault("days", "2")),
                    Integer.parseInt(values.getOrDefault("repeats", "3")),
                    Long.parseLong(values.getOrDefault("seed", "7")),
                    Path.of(values.getOrDefault("out", "target/corpus")));
        }
    }

    public record Summary(long records, long incidents, long confounders, int residents, int elevators, int days) {
    }

    private final Options options;
    private final Random random;
    private final Community community;
    private final long start;
    private final long end;
    private final Map<String, Household> households = new LinkedHashMap<>();
    private final Map<String, BuildingSensors> buildingSensors = new LinkedHashMap<>();
    private final Map<String, ElevatorModel> elevators = new LinkedHashMap<>();
    private final List<Label> labels = new ArrayList<>();
    private final Map<String, Long> mattressOffsets = new HashMap<>();
    /** Homes whose resident collapses (I1, I2) and whose door contact goes silent (D2-battery), with when. */
    private final Map<Household, Long> collapses = new LinkedHashMap<>();
    private final Map<Household, Long> silentDoors = new LinkedHashMap<>();

    private CorpusGenerator(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.community = new Community(options.residents(), options.elevators());
        this.start = START.getEpochSecond();
        this.end = start + options.days() * 86_400L;
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        Summary summary = generate(options);
        System.out.printf("Corpus in %s: %d residents and %d elevators over %d days, %,d records, %d incidents, "
                        + "%d confounders%n", options.out(), summary.residents(), summary.elevators(), summary.days(),
                summary.records(), summary.incidents(), summary.confounders());
    }

    public static Summary generate(Options options) throws IOException {
        return new CorpusGenerator(options).write();
    }

    private Summary write() throws IOException {
        for (Community.Home home : community.homes) {
            Household household = new Household(home, start, options.days(), random);
            households.put(home.unitId(), household);
            labels.addAll(household.confounders);
            mattressOffsets.put(home.unitId(), (long) random.nextInt(5));
        }
        for (Community.Building building : community.buildings) {
            BuildingSensors sensors = new BuildingSensors(building, random);
            buildingSensors.put(building.id(), sensors);
            for (int day = 0; day < options.days(); day++) {
                sensors.aerosol(start + day * 86_400L + 8 * 3600 + random.nextInt(12 * 3600), labels);
            }
            if (building.hasElevator()) {
                ElevatorModel elevator = new ElevatorModel(building, random, labels);
                elevators.put(building.id(), elevator);
                long inspection = start + (random.nextInt(options.days())) * 86_400L + 14 * 3600;
                elevator.takeovers.add(new ElevatorModel.Takeover(inspection, inspection + 2700, 0, 0, 0, 1, 1));
                for (String rule : List.of("E1", "E2", "E3")) {
                    labels.add(confounder(rule, building.elevator(), inspection, inspection + 2700,
                            "inspection mode: technician in a stopped car between floors"));
                }
            }
        }
        injectIncidents();
        households.values().forEach(Household::freeze);
        buildingSensors.values().forEach(BuildingSensors::freeze);
        elevators.values().forEach(ElevatorModel::freeze);

        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve(CorpusFile.REGISTRY), ProtoJson.toJson(community.registry.build()));
        long records = 0;
        try (CorpusFile.Writer writer = new CorpusFile.Writer(options.out().resolve(CorpusFile.TRAFFIC))) {
            Iterator<CorpusFile.Entry> traffic = Feeds.merge(feeds());
            while (traffic.hasNext()) {
                CorpusFile.Entry entry = traffic.next();
                if (entry.reading() != null) {
                    writer.write(entry.reading());
                } else {
                    writer.write(entry.status());
                }
                records++;
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(Label.HEADER);
        labels.forEach(label -> lines.add(label.toCsv()));
        Files.write(options.out().resolve(CorpusFile.LABELS), lines);
        long incidents = labels.stream().filter(l -> l.type() == Label.Type.INCIDENT).count();
        return new Summary(records, incidents, labels.size() - incidents, community.homes.size(), elevators.size(),
                options.days());
    }

    // ---- incidents -------------------------------------------------------------------------

    private void injectIncidents() {
        List<Household> atHome = community.homesAtHome().stream().map(h -> households.get(h.unitId())).toList();
        List<BuildingSensors> buildings = new ArrayList<>(buildingSensors.values());
        List<ElevatorModel> cars = new ArrayList<>(elevators.values());
        int nextHome = 0;
        int nextBuilding = 0;
        int nextCar = 0;
        boolean longCorpus = options.days() >= 2;
        for (int r = 0; r < options.repeats(); r++) {
            long day = start + (r % options.days()) * 86_400L;
            long night = day + 2 * 3600 + r * 600L;
            heartRate(atHome.get(nextHome++ % atHome.size()), night, 140);
            heartRate(atHome.get(nextHome++ % atHome.size()), night + 300, 38);
            respiration(atHome.get(nextHome++ % atHome.size()), night + 600);
            apnea(atHome.get(nextHome++ % atHome.size()), night + 900);
            apneaEpisodes(atHome.get(nextHome++ % atHome.size()), night);
            notBackInBed(atHome.get(nextHome++ % atHome.size()), night);
            longBathroomStay(atHome.get(nextHome++ % atHome.size()), night + 1200);
            mattressSilent(atHome.get(nextHome++ % atHome.size()), day + 14 * 3600 + r * 300L);
            gatewayOffline(atHome.get(nextHome++ % atHome.size()), day + 15 * 3600 + r * 300L);
            lowBattery(atHome.get(nextHome++ % atHome.size()), day + 16 * 3600 + r * 300L);
            tamper(atHome.get(nextHome++ % atHome.size()), day + 16 * 3600 + r * 300L);
            if (longCorpus) {
                collapses.put(atHome.get(atHome.size() - 1 - 2 * r), start + 10 * 3600 + r * 1800L);
                silentDoors.put(atHome.get(atHome.size() - 2 - 2 * r), start + 8 * 3600 + r * 1800L);
            }
            long late = day + 11 * 3600 + r * 1800L;
            fire(buildings.get(nextBuilding++ % buildings.size()), late);
            slowFire(buildings.get(nextBuilding++ % buildings.size()), late);
            residualCurrent(buildings.get(nextBuilding++ % buildings.size()), late + 600);
            gasLeak(buildings.get(nextBuilding++ % buildings.size()), late + 900);
            cableOverheat(buildings.get(nextBuilding++ % buildings.size()), late + 1200);
            if (!cars.isEmpty()) {
                // A car takes one incident at a time: a car used again gets a later slot.
                long ride = day + 10 * 3600 + r * 2700L;
                ElevatorModel car = cars.get(nextCar % cars.size());
                carTakeover(car, ride + slot(nextCar++, cars.size()), 300, 0, 1, 0, 1, "E1",
                        "passenger trapped, car level, door closed");
                car = cars.get(nextCar % cars.size());
                carTakeover(car, ride + slot(nextCar++, cars.size()), 180, 0, 0, 0, 1, "E2",
                        "passenger trapped between floors");
                car = cars.get(nextCar % cars.size());
                carTakeover(car, ride + slot(nextCar++, cars.size()), 180, 0, 0, 0, 0, "E3",
                        "empty car stopped outside a door zone");
                car = cars.get(nextCar % cars.size());
                doorOpensWhileRunning(car, ride + slot(nextCar++, cars.size()));
                car = cars.get(nextCar % cars.size());
                runningWithDoorOpen(car, ride + slot(nextCar++, cars.size()));
                car = cars.get(nextCar % cars.size());
                long overrun = ride + slot(nextCar++, cars.size());
                car.takeovers.add(new ElevatorModel.Takeover(overrun, overrun + 60, 1, 0, 0, 1, 0,
                        car.building.topFloor()));
                labels.add(incident("E4", car.building.elevator(), overrun, overrun + 60,
                        "car runs on upwards past the top floor"));
                car = cars.get(nextCar % cars.size());
                long underrun = ride + slot(nextCar++, cars.size());
                car.takeovers.add(new ElevatorModel.Takeover(underrun, underrun + 60, 2, 0, 0, 1, 0, 1));
                labels.add(incident("E4-bottom", car.building.elevator(), underrun, underrun + 60,
                        "car runs on downwards past the bottom floor"));
            }
        }
        collapses.forEach(this::collapse);
        silentDoors.forEach((household, at) -> household.doorSilent.add(at, at + 26 * 3600));
    }

    /** Seconds to add for the n-th use of one of `count` shared subjects, so each use gets its own 10 min. */
    private static long slot(int n, int count) {
        return (n / count) * 600L;
    }

    /** Makes sure the resident is in bed and still around t (no trip or movement then). */
    private static void keepInBed(Household household, long from, long to) {
        household.inBed.add(from, to);
        household.moving.cut(from, to);
        household.bathroom.cut(from, to);
    }

    private void heartRate(Household household, long at, double bpm) {
        keepInBed(household, at - 600, at + 600);
        household.heartRateOverride.add(at, at + 300, bpm);
        labels.add(incident("V1", household.home.mattress(), at, at + 300, "heart rate " + (int) bpm + " in bed"));
    }

    private void respiration(Household household, long at) {
        keepInBed(household, at - 600, at + 600);
        household.respirationOverride.add(at, at + 300, 28);
        labels.add(incident("V2", household.home.mattress(), at, at + 300, "respiration 28/min in bed"));
    }

    private void apnea(Household household, long at) {
        keepInBed(household, at - 600, at + 600);
        household.breathingPauses.cut(at - 600, at + 600);
        household.breathingPauses.add(at, at + 45);
        labels.add(incident("V3", household.home.mattress(), at, at + 45, "no breathing for 45 s"));
    }

    private void apneaEpisodes(Household household, long at) {
        keepInBed(household, at - 600, at + 16 * 180 + 600);
        household.breathingPauses.cut(at - 600, at + 16 * 180 + 600);
        for (int i = 0; i < 16; i++) {
            household.breathingPauses.add(at + i * 180L, at + i * 180L + 12);
        }
        labels.add(incident("V3-episodes", household.home.mattress(), at, at + 16 * 180,
                "16 breathing pauses of 12 s in 48 min"));
    }

    private void notBackInBed(Household household, long at) {
        keepInBed(household, at - 3600, at);
        household.inBed.cut(at, at + 5400);
        household.moving.cut(at, at + 5400);
        household.bathroom.cut(at, at + 5400);
        household.bathroom.add(at + 30, at + 300);
        labels.add(incident("V4", household.home.mattress(), at, at + 5400,
                "got up at night and did not come back for 90 min (fell in the bathroom)"));
    }

    private void longBathroomStay(Household household, long at) {
        keepInBed(household, at - 3600, at);
        household.inBed.cut(at, at + 2400);
        household.bathroom.add(at + 30, at + 2400);
        household.inBed.add(at + 2400, at + 3 * 3600);
        labels.add(incident("I5", household.home.bathroom(), at + 30, at + 2400,
                "40 min in the bathroom at night, unwell, then back to bed"));
    }

    private void mattressSilent(Household household, long at) {
        household.mattressSilent.add(at, at + 1800);
        long offset = mattressOffsets.get(household.home.unitId());
        long lastSample = start + offset + ((at - 1 - start - offset) / 5) * 5;
        labels.add(incident("D2-mains", household.home.mattress(), lastSample, at + 1800,
                "mattress (mains) silent for 30 min"));
    }

    private void gatewayOffline(Household household, long at) {
        household.gatewayOffline.add(at, at + 300);
        labels.add(incident("D1", household.home.gatewayId(), at, at + 300, "home gateway offline for 5 min"));
    }

    private void lowBattery(Household household, long at) {
        household.lowBatteryFrom = at;
        household.doorOpenings.add(at);
        labels.add(incident("D3", household.home.door(), at, end, "door contact battery at 8 %"));
    }

    private void tamper(Household household, long at) {
        household.tamper.add(at, at + 600);
        labels.add(incident("D4", household.home.smoke(), at, at + 600, "smoke detector taken off its base"));
    }

    private void collapse(Household household, long at) {
        household.inBed.cut(at, end);
        household.moving.cut(at, end);
        household.bathroom.cut(at, end);
        household.smokeAlarm.cut(at, end);
        household.doorOpenings.removeIf(t -> t >= at);
        // Ground truth from the last activity the sensors saw: the timers count from there.
        labels.add(incident("I1", household.home.door(), household.doorOpenings.isEmpty() ? start
                : household.doorOpenings.floor(at), end, "resident collapsed at home, no door opened since"));
        household.moving.freeze();
        Long lastMotion = motionReports(household.moving).floor(at);
        labels.add(incident("I2", household.home.infrared(), lastMotion == null ? start : lastMotion, end,
                "resident collapsed at home, no movement since"));
        // I4 watches 06:00-12:00 each day: every morning window wholly after the collapse is missed.
        for (long day = start; day < end; day += 86_400L) {
            long windowStart = day + 6 * 3600;
            if (windowStart >= at && day + 12 * 3600 <= end) {
                labels.add(incident("I4", household.home.infrared(), windowStart, end,
                        "resident collapsed at home, no movement all morning"));
                break;
            }
        }
    }

    /** No cooking in the building while its hall detector sees a fire: that would be a real confirmation. */
    private void noCookingDuring(BuildingSensors sensors, long from, long to) {
        households.values().stream().filter(h -> h.home.buildingId().equals(sensors.building.id()))
                .forEach(h -> h.smokeAlarm.cut(from - 600, to + 600));
    }

    private void fire(BuildingSensors sensors, long at) {
        noCookingDuring(sensors, at, at + 1800);
        Household home = households.values().stream()
                .filter(h -> h.home.buildingId().equals(sensors.building.id()) && !h.home.away()).findFirst().orElseThrow();
        home.smokeAlarm.add(at, at + 900);
        BuildingSensors.Rise rise = new BuildingSensors.Rise(at + 20, 10, 90, at + 1800);
        long reaches57 = sensors.rise(rise, 57);
        labels.add(incident("F1", home.home.smoke(), at, at + 900, "fire in a flat: smoke, then heat"));
        labels.add(incident("F3", sensors.building.heat(), at + 20, at + 1800, "fire: hall heat rising 10 degC/min"));
        labels.add(incident("F2", sensors.building.heat(), reaches57, at + 1800, "fire: hall heat past 57 degC"));
    }

    private void slowFire(BuildingSensors sensors, long at) {
        noCookingDuring(sensors, at, at + 3600);
        long reaches57 = sensors.rise(new BuildingSensors.Rise(at, 2, 70, at + 3600), 57);
        labels.add(incident("F2", sensors.building.heat(), reaches57, at + 3600,
                "smouldering fire: heat rising 2 degC/min, past 57 degC"));
    }

    private void residualCurrent(BuildingSensors sensors, long at) {
        sensors.residualCurrent.add(at, at + 600, 550);
        sensors.electricalChanges.add(at);
        sensors.electricalChanges.add(at + 600);
        labels.add(incident("F4", sensors.building.electrical(), at, at + 600, "residual current 550 mA"));
    }

    private void cableOverheat(BuildingSensors sensors, long at) {
        sensors.cableTemperature.add(at, at + 300, 95);
        sensors.electricalChanges.add(at);
        sensors.electricalChanges.add(at + 300);
        labels.add(incident("F5", sensors.building.electrical(), at, at + 300, "cable on channel 1 at 95 degC"));
    }

    private void gasLeak(BuildingSensors sensors, long at) {
        sensors.gasLevel.add(at, at + 300, 35);
        sensors.gasChanges.add(at);
        sensors.gasChanges.add(at + 300);
        labels.add(incident("F6", sensors.building.gas(), at, at + 300, "gas leak at 35 %LEL"));
    }

    private void carTakeover(ElevatorModel car, long at, int seconds, int direction, int level, int door, int people,
                             String rule, String note) {
        car.takeovers.add(new ElevatorModel.Takeover(at, at + seconds, direction, level, door, people, 0));
        labels.add(incident(rule, car.building.elevator(), at, at + seconds, note));
    }

    private void doorOpensWhileRunning(ElevatorModel car, long at) {
        car.takeovers.add(new ElevatorModel.Takeover(at - 10, at, 1, 0, 0, 1, 0));
        car.takeovers.add(new ElevatorModel.Takeover(at, at + 30, 1, 0, 1, 1, 0));
        labels.add(incident("E5", car.building.elevator(), at, at + 30, "door opened while running"));
        labels.add(incident("E6", car.building.elevator(), at, at + 30, "door opened while running, and stays open"));
    }

    private void runningWithDoorOpen(ElevatorModel car, long at) {
        car.takeovers.add(new ElevatorModel.Takeover(at - 5, at, 0, 1, 1, 1, 0));
        car.takeovers.add(new ElevatorModel.Takeover(at, at + 20, 1, 0, 1, 1, 0));
        labels.add(incident("E6", car.building.elevator(), at, at + 20, "car leaves the floor with the door open"));
    }

    // ---- feeds -------------------------------------------------------------------------------

    private List<Feeds.Feed> feeds() {
        List<Feeds.Feed> feeds = new ArrayList<>();
        List<Map.Entry<Long, CorpusFile.Entry>> statuses = new ArrayList<>();
        for (Household household : households.values()) {
            Community.Home home = household.home;
            Spans offline = household.gatewayOffline;
            statuses.add(Map.entry(start, Feeds.status(home.gatewayId(), start, GatewayStatus.State.ONLINE)));
            for (long offlineStart : offline.starts()) {
                statuses.add(Map.entry(offlineStart, Feeds.status(home.gatewayId(), offlineStart,
                        GatewayStatus.State.OFFLINE)));
                long back = offlineStart + 300;
                statuses.add(Map.entry(back, Feeds.status(home.gatewayId(), back, GatewayStatus.State.ONLINE)));
            }
            feeds.add(new Feeds.Periodic(home.mattress(), home.gatewayId(), "mattress",
                    start + mattressOffsets.get(home.unitId()), end, t -> 5,
                    t -> household.mattressSilent.contains(t) || offline.contains(t) ? null : mattress(household, t),
                    new TreeSet<>()));
            Spans doorQuiet = union(household.doorSilent, offline);
            TreeSet<Long> doorEvents = new TreeSet<>();
            for (long opening : household.doorOpenings) {
                doorEvents.add(opening);
                doorEvents.add(opening + 20 + random.nextInt(40));
            }
            feeds.add(Feeds.eventSensor(home.door(), home.gatewayId(), "door-contact", start, end, doorEvents,
                    t -> Feeds.values("open", household.doorOpenings.contains(t) ? 1 : 0, "battery",
                            t >= household.lowBatteryFrom ? 8 : household.doorBattery, "tamper", 0),
                    doorQuiet, household.doorHeartbeatOffset));
            feeds.add(Feeds.eventSensor(home.infrared(), home.gatewayId(), "infrared", start, end,
                    motionReports(household.moving), t -> Feeds.values("motion", household.moving.contains(t) ? 1 : 0,
                            "battery", household.infraredBattery, "tamper", 0), offline, random.nextInt(3600)));
            feeds.add(Feeds.eventSensor(home.bathroom(), home.gatewayId(), "infrared", start, end,
                    motionReports(household.bathroom), t -> Feeds.values("motion", household.bathroom.contains(t) ? 1 : 0,
                            "battery", household.infraredBattery, "tamper", 0), offline, random.nextInt(3600)));
            TreeSet<Long> smokeEvents = new TreeSet<>();
            for (Spans spans : List.of(household.smokeAlarm, household.tamper)) {
                for (long s = start; s < end; ) {
                    long[] span = spans.nextFrom(s);
                    if (span == null) {
                        break;
                    }
                    for (long t = span[0]; t < span[1]; t += 10) {
                        smokeEvents.add(t);
                    }
                    smokeEvents.add(span[1]);
                    s = span[1];
                }
            }
            feeds.add(Feeds.eventSensor(home.smoke(), home.gatewayId(), "smoke", start, end, smokeEvents,
                    t -> Feeds.values("smoke", household.smokeAlarm.contains(t) ? 1 : 0, "battery",
                            household.smokeBattery, "tamper", household.tamper.contains(t) ? 1 : 0), offline, random.nextInt(3600)));
            Long silentAt = silentDoors.get(household);
            if (silentAt != null) {
                long lastReport = Feeds.reportTimes(start, end, doorEvents, household.doorHeartbeatOffset).lower(silentAt);
                labels.add(incident("D2-battery", home.door(), lastReport, silentAt
                        + 26 * 3600, "door contact (battery) silent for 26 h"));
            }
        }
        for (Community.Building building : community.buildings) {
            statuses.add(Map.entry(start, Feeds.status(building.gatewayId(), start, GatewayStatus.State.ONLINE)));
            BuildingSensors sensors = buildingSensors.get(building.id());
            feeds.add(new Feeds.Periodic(building.heat(), building.gatewayId(), "heat", start + random.nextInt(60), end,
                    sensors::heatInterval, sensors::heat, sensors.heatChanges));
            feeds.add(new Feeds.Periodic(building.electrical(), building.gatewayId(), "electrical-fire",
                    start + random.nextInt(30), end, sensors::electricalInterval, sensors::electrical,
                    sensors.electricalChanges));
            feeds.add(new Feeds.Periodic(building.gas(), building.gatewayId(), "gas", start + random.nextInt(30), end,
                    sensors::gasInterval, sensors::gas, sensors.gasChanges));
            ElevatorModel elevator = elevators.get(building.id());
            if (elevator != null) {
                feeds.add(new Feeds.Periodic(building.elevator(), building.gatewayId(), "elevator",
                        start + random.nextInt(5), end, t -> 5, elevator::valuesAt, new TreeSet<>()));
            }
        }
        feeds.add(new Feeds.Listed(statuses));
        return feeds;
    }

    private Map<String, Double> mattress(Household household, long t) {
        if (!household.inBed.contains(t)) {
            return Feeds.values("inBed", 0, "movement", 0);
        }
        Double hrOverride = household.heartRateOverride.valueAt(t);
        double heartRate = hrOverride != null ? hrOverride + random.nextInt(5) - 2
                : household.restingHeartRate - 3 + random.nextInt(9) - 4
                + (household.heartRateSpikes.contains(t) ? 40 : 0);
        Double rrOverride = household.respirationOverride.valueAt(t);
        double respiration = rrOverride != null ? rrOverride : household.restingRespiration + random.nextInt(5) - 2;
        boolean paused = household.breathingPauses.contains(t);
        return Feeds.values("heartRate", heartRate, "respirationRate", paused ? 0 : respiration, "inBed", 1,
                "movement", household.heartRateSpikes.contains(t) ? 5 : random.nextInt(2), "noBreath", paused ? 1 : 0);
    }

    /** An infrared sensor reports motion when it starts and every 60 s while it lasts. */
    private TreeSet<Long> motionReports(Spans motion) {
        TreeSet<Long> reports = new TreeSet<>();
        for (long s = start; s < end; ) {
            long[] span = motion.nextFrom(s);
            if (span == null) {
                break;
            }
            for (long t = span[0]; t < span[1]; t += 60) {
                reports.add(t);
            }
            reports.add(span[1]);
            s = span[1];
        }
        return reports;
    }

    private static Spans union(Spans a, Spans b) {
        Spans union = new Spans();
        for (Spans spans : List.of(a, b)) {
            for (long s = Long.MIN_VALUE; ; ) {
                long[] span = spans.nextFrom(s);
                if (span == null) {
                    break;
                }
                union.add(span[0], span[1]);
                s = span[1];
            }
        }
        return union.freeze();
    }

    static Label incident(String rule, String subject, long start, long end, String note) {
        return new Label(Label.Type.INCIDENT, rule, subject, Instant.ofEpochSecond(start), Instant.ofEpochSecond(end),
                "", note);
    }

    static Label confounder(String rule, String subject, long start, long end, String note) {
        return confounder(rule, subject, start, end, note, "");
    }

    static Label confounder(String rule, String subject, long start, long end, String note, String allowedSeverity) {
        return new Label(Label.Type.CONFOUNDER, rule, subject, Instant.ofEpochSecond(start), Instant.ofEpochSecond(end),
                allowedSeverity, note);
    }
}
