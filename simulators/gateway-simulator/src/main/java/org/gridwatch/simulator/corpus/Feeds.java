package org.gridwatch.simulator.corpus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;

/**
 * What each device of the corpus sends and when: periodic sensors (mattress, elevator, heat,
 * electrical fire, gas) sample on their interval and report at once when something changes, as
 * such detectors do in alarm; event sensors (door, infrared, smoke) report on events and an hourly
 * heartbeat. Every feed yields its records in time order; the generator merges them.
 */
final class Feeds {

    private Feeds() {
    }

    /** A source of records in time order. */
    abstract static class Feed {
        /** Epoch seconds of the next record; Long.MAX_VALUE when done. */
        long nextAt;

        abstract CorpusFile.Entry take();
    }

    static Reading reading(String deviceId, String gatewayId, String type, long at, int sequence,
                           Map<String, Double> values) {
        Instant instant = Instant.ofEpochSecond(at);
        return Reading.newBuilder().setEventId(deviceId + "-" + at + "-" + sequence).setDeviceId(deviceId)
                .setGatewayId(gatewayId).setSensorType(type).setObservedAt(Timestamps.of(instant))
                .setReceivedAt(Timestamps.of(instant)).putAllValues(values).build();
    }

    /**
     * A sensor sampled every {@code interval(t)} seconds, and at once at each change point (an
     * alarm starting or ending). Values of null mean the device sends nothing then (silent).
     */
    static final class Periodic extends Feed {
        private final String deviceId;
        private final String gatewayId;
        private final String type;
        private final long end;
        private final LongUnaryOperator interval;
        private final LongFunction<Map<String, Double>> values;
        private final TreeSet<Long> changePoints;
        private int sequence;

        Periodic(String deviceId, String gatewayId, String type, long first, long end, LongUnaryOperator interval,
                 LongFunction<Map<String, Double>> values, TreeSet<Long> changePoints) {
            this.deviceId = deviceId;
            this.gatewayId = gatewayId;
            this.type = type;
            this.end = end;
            this.interval = interval;
            this.values = values;
            this.changePoints = changePoints;
            this.nextAt = first;
        }

        @Override
        CorpusFile.Entry take() {
            long at = nextAt;
            Map<String, Double> sample = values.apply(at);
            long next = at + interval.applyAsLong(at);
            Long change = changePoints.higher(at);
            if (change != null && change < next) {
                next = change;
            }
            nextAt = next < end ? next : Long.MAX_VALUE;
            return sample == null ? null
                    : new CorpusFile.Entry(reading(deviceId, gatewayId, type, at, sequence++, sample), null);
        }
    }

    /** Records worked out in advance (event sensors, gateway statuses), replayed in time order. */
    static final class Listed extends Feed {
        private final Iterator<Map.Entry<Long, CorpusFile.Entry>> records;
        private CorpusFile.Entry pending;

        Listed(List<Map.Entry<Long, CorpusFile.Entry>> records) {
            List<Map.Entry<Long, CorpusFile.Entry>> sorted = new ArrayList<>(records);
            sorted.sort(Map.Entry.comparingByKey());
            this.records = sorted.iterator();
            advance();
        }

        private void advance() {
            if (records.hasNext()) {
                Map.Entry<Long, CorpusFile.Entry> next = records.next();
                nextAt = next.getKey();
                pending = next.getValue();
            } else {
                nextAt = Long.MAX_VALUE;
                pending = null;
            }
        }

        @Override
        CorpusFile.Entry take() {
            CorpusFile.Entry taken = pending;
            advance();
            return taken;
        }
    }

    /** An event sensor: reports at each event and once an hour, never while silent. */
    static Listed eventSensor(String deviceId, String gatewayId, String type, long start, long end,
                              TreeSet<Long> eventTimes, LongFunction<Map<String, Double>> values, Spans silent,
                              long heartbeatOffset) {
        TreeSet<Long> times = reportTimes(start, end, eventTimes, heartbeatOffset);
        List<Map.Entry<Long, CorpusFile.Entry>> records = new ArrayList<>();
        int sequence = 0;
        for (long t : times) {
            if (silent.contains(t)) {
                continue;
            }
            records.add(Map.entry(t, new CorpusFile.Entry(reading(deviceId, gatewayId, type, t, sequence++,
                    values.apply(t)), null)));
        }
        return new Listed(records);
    }

    /** When an event sensor reports: at the start, at each event, and at its hourly heartbeat. */
    static TreeSet<Long> reportTimes(long start, long end, TreeSet<Long> eventTimes, long heartbeatOffset) {
        TreeSet<Long> times = new TreeSet<>(eventTimes.subSet(start, end));
        for (long t = start + heartbeatOffset; t < end; t += 3600) {
            times.add(t);
        }
        times.add(start);
        return times;
    }

    static CorpusFile.Entry status(String gatewayId, long at, GatewayStatus.State state) {
        return new CorpusFile.Entry(null, GatewayStatus.newBuilder().setGatewayId(gatewayId).setState(state)
                .setObservedAt(Timestamps.of(Instant.ofEpochSecond(at))).build());
    }

    static Map<String, Double> values(Object... pairs) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return values;
    }

    /** Merges feeds into one stream in time order. */
    static Iterator<CorpusFile.Entry> merge(List<Feed> feeds) {
        java.util.PriorityQueue<Feed> queue = new java.util.PriorityQueue<>(Comparator.comparingLong(f -> f.nextAt));
        feeds.stream().filter(f -> f.nextAt != Long.MAX_VALUE).forEach(queue::add);
        return new Iterator<>() {
            private CorpusFile.Entry next = advance();

            private CorpusFile.Entry advance() {
                while (!queue.isEmpty()) {
                    Feed feed = queue.poll();
                    CorpusFile.Entry entry = feed.take();
                    if (feed.nextAt != Long.MAX_VALUE) {
                        queue.add(feed);
                    }
                    if (entry != null) {
                        return entry;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public CorpusFile.Entry next() {
                CorpusFile.Entry current = next;
                next = advance();
                return current;
            }
        };
    }
}
