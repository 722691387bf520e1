package org.gridwatch.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the benchmarks share: {@code --name value} arguments, and percentiles of sorted timings. */
public final class BenchArgs {

    private BenchArgs() {
    }

    /** {@code --rate 1000 --seconds 60} as {rate=1000, seconds=60}. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /** The p-th percentile (nearest rank) of timings in microseconds, sorted, in milliseconds; NaN when none. */
    public static double percentileMillis(List<Long> sortedMicros, int p) {
        if (sortedMicros.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedMicros.size()) - 1;
        return sortedMicros.get(Math.max(0, Math.min(sortedMicros.size() - 1, index))) / 1000.0;
    }
}
