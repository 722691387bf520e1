package org.gridwatch.simulator.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The life of one person living alone, over the corpus's days, as the home's sensors see it:
 * asleep from 21:30-23:30 to 05:30-07:30 with bathroom trips, single breathing pauses and the
 * heart-rate spikes of rolling over; a morning round, the rubbish taken out, outings, long spells
 * of sitting still, visitors in the evening, cooking. Incidents change this plan afterwards.
 * Times are epoch seconds.
 */
final class Household {

    final Community.Home home;
    final double restingHeartRate;
    final double restingRespiration;
    final int doorBattery;
    final int infraredBattery;
    final int smokeBattery;
    final long doorHeartbeatOffset;

    final Spans inBed = new Spans();
    final Spans moving = new Spans();
    /** Motion the bathroom's infrared sensor sees. */
    final Spans bathroom = new Spans();
    final Spans breathingPauses = new Spans();
    final Spans heartRateSpikes = new Spans();
    /** Injected values, replacing the normal ones while they last. */
    final Spans heartRateOverride = new Spans();
    final Spans respirationOverride = new Spans();
    final Spans mattressSilent = new Spans();
    final Spans doorSilent = new Spans();
    final Spans gatewayOffline = new Spans();
    final Spans smokeAlarm = new Spans();
    final Spans tamper = new Spans();
    final TreeSet<Long> doorOpenings = new TreeSet<>();
    /** From when the door contact's battery reads low (Long.MAX_VALUE: never). */
    long lowBatteryFrom = Long.MAX_VALUE;

    final List<Label> confounders = new ArrayList<>();

    Household(Community.Home home, long start, int days, Random random) {
        this.home = home;
        this.restingHeartRate = 60 + random.nextInt(18);
        this.restingRespiration = 13 + random.nextInt(4);
        this.doorBattery = 40 + random.nextInt(60);
        this.infraredBattery = 40 + random.nextInt(60);
        this.smokeBattery = 40 + random.nextInt(60);
        this.doorHeartbeatOffset = random.nextInt(3600);
        if (home.away()) {
            confounders.add(CorpusGenerator.confounder("I1", home.door(), start, start + days * 86_400L,
                    "resident away for the whole corpus (flag away)"));
            confounders.add(CorpusGenerator.confounder("I2", home.infrared(), start, start + days * 86_400L,
                    "resident away for the whole corpus (flag away)"));
            return;
        }
        long sleepSince = start;
        for (int day = 0; day < days; day++) {
            long midnight = start + day * 86_400L;
            long wake = midnight + 5 * 3600 + 1800 + random.nextInt(2 * 3600);
            night(sleepSince, wake, random);
            long bedtime = day == days - 1 ? start + days * 86_400L
                    : midnight + 21 * 3600 + 1800 + random.nextInt(2 * 3600);
            day(midnight, wake, Math.min(bedtime, start + days * 86_400L), random);
            sleepSince = bedtime;
        }
    }

    private void night(long bedtime, long wake, Random random) {
        inBed.add(bedtime, wake);
        int trips = random.nextInt(3);
        long earliest = bedtime + 3600;
        for (int i = 0; i < trips && wake - earliest > 2 * 3600; i++) {
            // Trips an hour apart at least: two run together would be one long absence.
            long tripStart = earliest + random.nextInt((int) (wake - earliest - 2 * 3600));
            long tripEnd = tripStart + 180 + random.nextInt(27 * 60);
            long bathroomEnd = Math.min(tripEnd, tripStart + 60 + 60L * (2 + random.nextInt(11)));
            inBed.cut(tripStart, tripEnd);
            bathroom.add(tripStart + 30, bathroomEnd);
            moving.add(bathroomEnd, tripEnd);
            confounders.add(CorpusGenerator.confounder("V4", home.mattress(), tripStart, tripEnd,
                    "night bathroom trip of " + (tripEnd - tripStart) / 60 + " min"));
            confounders.add(CorpusGenerator.confounder("I5", home.bathroom(), tripStart, tripEnd,
                    "night bathroom visit of " + (bathroomEnd - tripStart) / 60 + " min"));
            earliest = tripEnd + 3600;
        }
        int pauses = 2 + random.nextInt(5);
        for (int i = 0; i < pauses; i++) {
            long at = bedtime + random.nextInt((int) Math.max(1, wake - bedtime - 60));
            // Single pauses, never run together: two back to back would be one long apnea.
            if (!breathingPauses.overlaps(at - 60, at + 75)) {
                breathingPauses.add(at, at + 10 + random.nextInt(6));
            }
        }
        int spikes = 3 + random.nextInt(6);
        for (int i = 0; i < spikes; i++) {
            long at = bedtime + random.nextInt((int) Math.max(1, wake - bedtime - 60));
            heartRateSpikes.add(at, at + 10 + random.nextInt(11));
        }
        confounders.add(CorpusGenerator.confounder("V1", home.mattress(), bedtime, wake,
                "heart rate spikes of 10-20 s while rolling over, single breathing pauses of 10-15 s"));
    }

    private void day(long midnight, long wake, long bedtime, Random random) {
        long morningEnd = wake + 1800 + random.nextInt(3600);
        moving.add(wake, morningEnd);
        doorOpenings.add(wake + 1200 + random.nextInt(6000));
        List<long[]> away = new ArrayList<>();
        long cursor = midnight + 9 * 3600 + random.nextInt(3600);
        // At least one outing a day: a person at home who never opens the door for 24 h is what I1 is for.
        int outings = 1 + random.nextInt(2);
        for (int i = 0; i < outings && cursor < midnight + 16 * 3600; i++) {
            long back = cursor + 3600 + random.nextInt(2 * 3600);
            away.add(new long[] {cursor, back});
            doorOpenings.add(cursor);
            doorOpenings.add(back);
            cursor = back + 1800 + random.nextInt(3 * 3600);
        }
        long stillFrom = 0;
        long stillTo = 0;
        if (random.nextInt(10) < 3) {
            stillFrom = midnight + 13 * 3600 + random.nextInt(3600);
            stillTo = stillFrom + 3 * 3600 + random.nextInt(2 * 3600);
            confounders.add(CorpusGenerator.confounder("I2", home.infrared(), stillFrom, stillTo,
                    "sitting still for " + (stillTo - stillFrom) / 3600 + " h"));
        }
        if (random.nextInt(10) < 2) {
            long arrive = midnight + 18 * 3600 + random.nextInt(2 * 3600);
            long leave = Math.min(arrive + 3600 + random.nextInt(3600), bedtime - 600);
            if (leave > arrive) {
                doorOpenings.add(arrive);
                doorOpenings.add(leave);
                moving.add(arrive, leave);
            }
        }
        if (random.nextInt(100) < 4) {
            long cooking = midnight + (random.nextBoolean() ? 11 : 17) * 3600 + 1800 + random.nextInt(1800);
            long clear = cooking + 60 + random.nextInt(90);
            smokeAlarm.add(cooking, clear);
            confounders.add(CorpusGenerator.confounder("F1", home.smoke(), cooking, clear + 60,
                    "cooking smoke, no heat", "WARNING"));
        }
        // Bursts of movement through the waking day, except when out or sitting still.
        for (long t = morningEnd; t < bedtime; ) {
            long burstEnd = Math.min(bedtime, t + 60 + random.nextInt(240));
            final long from = t;
            boolean out = away.stream().anyMatch(a -> from < a[1] && burstEnd > a[0]);
            boolean still = t < stillTo && burstEnd > stillFrom;
            if (!out && !still) {
                moving.add(t, burstEnd);
            }
            t = burstEnd + 600 + random.nextInt(1200);
        }
        for (long[] a : away) {
            moving.cut(a[0], a[1]);
        }
    }

    /** Freezes every span once incidents are in. */
    void freeze() {
        for (Spans spans : List.of(inBed, moving, bathroom, breathingPauses, heartRateSpikes, heartRateOverride,
                respirationOverride, mattressSilent, doorSilent, gatewayOffline, smokeAlarm, tamper)) {
            spans.freeze();
        }
    }
}
