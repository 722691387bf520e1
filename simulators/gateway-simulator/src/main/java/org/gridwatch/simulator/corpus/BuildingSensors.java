package org.gridwatch.simulator.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The shared sensors of one building: the hall heat detector, the electrical-fire monitor and the
 * gas detector, with their normal values, the spells an incident injects, and the moments they
 * report at once because a value changed. Detectors in alarm report every 5 s.
 */
final class BuildingSensors {

    /** A temperature rise from {@code start} at {@code perMinute} degC/min up to {@code peak}, until {@code end}. */
    record Rise(long start, double perMinute, double peak, long end) {
    }

    final Community.Building building;
    private final Random random;
    private final double baseTemperature;
    private final double baseLeakage;
    final List<Rise> rises = new ArrayList<>();
    final Spans residualCurrent = new Spans();
    final Spans cableTemperature = new Spans();
    final Spans gasLevel = new Spans();
    final TreeSet<Long> heatChanges = new TreeSet<>();
    final TreeSet<Long> electricalChanges = new TreeSet<>();
    final TreeSet<Long> gasChanges = new TreeSet<>();

    BuildingSensors(Community.Building building, Random random) {
        this.building = building;
        this.random = random;
        this.baseTemperature = 21 + random.nextInt(4);
        this.baseLeakage = 90 + random.nextInt(90);
    }

    /** A burst of aerosol or paint fumes: a few seconds over the first gas level. */
    void aerosol(long at, List<Label> labels) {
        gasLevel.add(at, at + 5, 28);
        gasChanges.add(at);
        gasChanges.add(at + 5);
        labels.add(CorpusGenerator.confounder("F6", building.gas(), at, at + 60, "aerosol spray, 5 s at 28 %LEL"));
    }

    double temperature(long t) {
        for (Rise rise : rises) {
            if (t >= rise.start() && t < rise.end()) {
                return Math.min(rise.peak(), normal(rise.start()) + (t - rise.start()) / 60.0 * rise.perMinute());
            }
        }
        return normal(t) + random.nextGaussian() * 0.15;
    }

    /** The hall's temperature without noise: a slow daily swing. */
    private double normal(long t) {
        return baseTemperature + 1.5 * Math.sin(t / 86_400.0 * 2 * Math.PI);
    }

    /** Adds a rise; returns when it first reaches the given temperature (epoch seconds), for the ground truth. */
    long rise(Rise rise, double temperature) {
        rises.add(rise);
        long reached = rise.start() + (long) Math.ceil((temperature - normal(rise.start())) / rise.perMinute() * 60);
        heatChanges.add(rise.start());
        heatChanges.add(reached);
        heatChanges.add(rise.end());
        return reached;
    }

    Map<String, Double> heat(long t) {
        // Truncated to a tenth, as a display would: 56.96 degC reads 56.9, not yet the 57 of an alarm.
        double temperature = Math.floor(temperature(t) * 10) / 10.0;
        return Feeds.values("temperature", temperature, "alarm", temperature >= 57 ? 1 : 0, "battery", 100, "tamper", 0);
    }

    long heatInterval(long t) {
        return temperature(t) >= 30 ? 5 : 60;
    }

    Map<String, Double> electrical(long t) {
        Double injected = residualCurrent.valueAt(t);
        double leakage = injected != null ? injected : baseLeakage + random.nextInt(31) - 15;
        Double cable = cableTemperature.valueAt(t);
        return Feeds.values("residualCurrent", leakage,
                "cableTemperature1", cable != null ? cable : 32 + random.nextInt(10),
                "cableTemperature2", 30 + random.nextInt(10), "cableTemperature3", 30 + random.nextInt(10),
                "cableTemperature4", 30 + random.nextInt(10), "tamper", 0);
    }

    long electricalInterval(long t) {
        return residualCurrent.contains(t) || cableTemperature.contains(t) ? 5 : 30;
    }

    Map<String, Double> gas(long t) {
        Double injected = gasLevel.valueAt(t);
        double lel = injected != null ? injected : random.nextInt(3);
        return Feeds.values("lel", lel, "alarm", lel >= 25 ? 1 : 0, "tamper", 0);
    }

    long gasInterval(long t) {
        return gasLevel.contains(t) ? 5 : 30;
    }

    void freeze() {
        residualCurrent.freeze();
        cableTemperature.freeze();
        gasLevel.freeze();
    }
}
