package org.gridwatch.simulator.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Periods of time [start, end) in epoch seconds, each with a value: when someone is in bed, moving,
 * or a device shows an injected value. Built first (add, cut), then frozen and looked up in time
 * order by the device feeds.
 */
final class Spans {

    private record Span(long start, long end, double value) {
    }

    private List<Span> spans = new ArrayList<>();
    private boolean frozen;

    void add(long start, long end) {
        add(start, end, 1);
    }

    void add(long start, long end, double value) {
        if (frozen) {
            throw new IllegalStateException("frozen");
        }
        if (end > start) {
            spans.add(new Span(start, end, value));
        }
    }

    /** Removes [start, end) from every span, splitting those that straddle it. */
    void cut(long start, long end) {
        List<Span> kept = new ArrayList<>();
        for (Span span : spans) {
            if (span.end <= start || span.start >= end) {
                kept.add(span);
                continue;
            }
            if (span.start < start) {
                kept.add(new Span(span.start, start, span.value));
            }
            if (span.end > end) {
                kept.add(new Span(end, span.end, span.value));
            }
        }
        spans = kept;
    }

    /** Whether any span covers [start, end) in part. */
    boolean overlaps(long start, long end) {
        return spans.stream().anyMatch(span -> span.start < end && span.end > start);
    }

    /** Sorts and merges overlapping spans (the later one's value wins where they meet). */
    Spans freeze() {
        spans.sort(Comparator.comparingLong(Span::start));
        List<Span> merged = new ArrayList<>();
        for (Span span : spans) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && span.start < last.end && span.value == last.value) {
                merged.set(merged.size() - 1, new Span(last.start, Math.max(last.end, span.end), last.value));
            } else if (last != null && span.start < last.end) {
                merged.set(merged.size() - 1, new Span(last.start, span.start, last.value));
                merged.add(span);
            } else {
                merged.add(span);
            }
        }
        spans = merged;
        frozen = true;
        return this;
    }

    boolean contains(long t) {
        return valueAt(t) != null;
    }

    /** The value of the span covering t, or null. */
    Double valueAt(long t) {
        int low = 0;
        int high = spans.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Span span = spans.get(mid);
            if (t < span.start) {
                high = mid - 1;
            } else if (t >= span.end) {
                low = mid + 1;
            } else {
                return span.value;
            }
        }
        return null;
    }

    /** The spans' starts, in order. */
    List<Long> starts() {
        return spans.stream().map(Span::start).toList();
    }

    /** The span starting at or after t, as {start, end}, or null. */
    long[] nextFrom(long t) {
        for (Span span : spans) {
            if (span.end > t) {
                return new long[] {Math.max(span.start, t), span.end};
            }
        }
        return null;
    }
}
