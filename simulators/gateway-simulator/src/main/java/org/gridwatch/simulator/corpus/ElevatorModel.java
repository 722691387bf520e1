package org.gridwatch.simulator.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One elevator's samples, every 5 s: idle with the door closed, boarding, closing, running between
 * floors (not level), arriving with the door open, people leaving. One departure in ten shows the
 * door still open on its first running sample (the acceleration lag of real terminals).
 * Incidents and inspections take the car over for a while with fixed states.
 */
final class ElevatorModel {

    /** A state held from start to end: direction, level, door, people, inspection, and the floor (0: where it is). */
    record Takeover(long start, long end, int direction, int level, int door, int people, int inspection, int floor) {
        Takeover(long start, long end, int direction, int level, int door, int people, int inspection) {
            this(start, end, direction, level, door, people, inspection, 0);
        }
    }

    private enum Phase { IDLE, BOARD, CLOSE, RUN, ARRIVE, EXIT }

    final Community.Building building;
    private final Random random;
    private final List<Label> labels;
    final List<Takeover> takeovers = new ArrayList<>();
    private Phase phase = Phase.IDLE;
    private long phaseEnd;
    private int floor = 1;
    private int target = 1;
    private boolean lagPending;
    private boolean lagShown;

    ElevatorModel(Community.Building building, Random random, List<Label> labels) {
        this.building = building;
        this.random = random;
        this.labels = labels;
    }

    void freeze() {
        takeovers.sort(Comparator.comparingLong(Takeover::start));
    }

    Map<String, Double> valuesAt(long t) {
        for (Takeover takeover : takeovers) {
            if (t >= takeover.start() && t < takeover.end()) {
                // After a takeover the car arrives level with the door open (which clears trapped states).
                phase = Phase.ARRIVE;
                phaseEnd = takeover.end() + 10;
                if (takeover.floor() != 0) {
                    floor = takeover.floor();
                }
                return sample(takeover.direction(), takeover.level(), takeover.door(), takeover.people(),
                        takeover.inspection());
            }
        }
        while (t >= phaseEnd) {
            next(t);
        }
        return switch (phase) {
            case IDLE -> sample(0, 1, 0, 0, 0);
            case BOARD, ARRIVE -> sample(0, 1, 1, 1, 0);
            case CLOSE -> sample(0, 1, 0, 1, 0);
            case EXIT -> sample(0, 1, 1, 0, 0);
            case RUN -> {
                boolean lag = lagPending && !lagShown;
                lagShown = true;
                if (lag) {
                    labels.add(CorpusGenerator.confounder("E6", building.elevator(), t, t + 30,
                            "acceleration lag: door reads open on the first running sample"));
                }
                yield sample(target > floor ? 1 : 2, 0, lag ? 1 : 0, 1, 0);
            }
        };
    }

    private void next(long t) {
        long start = Math.max(phaseEnd, t - 5);
        switch (phase) {
            case IDLE -> {
                phase = Phase.BOARD;
                phaseEnd = start + 10;
            }
            case BOARD -> {
                phase = Phase.CLOSE;
                phaseEnd = start + 5;
            }
            case CLOSE -> {
                do {
                    target = 1 + random.nextInt(building.topFloor());
                } while (target == floor);
                phase = Phase.RUN;
                phaseEnd = start + 5L * Math.abs(target - floor) + 5;
                lagPending = random.nextInt(10) == 0;
                lagShown = false;
            }
            case RUN -> {
                floor = target;
                phase = Phase.ARRIVE;
                phaseEnd = start + 10;
            }
            case ARRIVE -> {
                phase = Phase.EXIT;
                phaseEnd = start + 5;
            }
            case EXIT -> {
                phase = Phase.IDLE;
                long hourOfDay = (t / 3600 + 8) % 24;
                boolean night = hourOfDay < 6 || hourOfDay >= 23;
                phaseEnd = start + (night ? 600 + random.nextInt(1800) : 20 + random.nextInt(280));
            }
        }
    }

    private Map<String, Double> sample(int direction, int level, int door, int people, int inspection) {
        return Feeds.values("direction", direction, "level", level, "floor", floor, "door", door, "people", people,
                "inspection", inspection, "maintenance", 0, "faultCode", 0);
    }
}
