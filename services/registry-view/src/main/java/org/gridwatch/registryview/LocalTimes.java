package org.gridwatch.registryview;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Daily windows of local time as the registry writes them ("HH:MM" to "HH:MM"): workers' shifts
 * and rules' active hours. An end before the start runs past midnight; an end equal to the start
 * means the whole day.
 */
public final class LocalTimes {

    private LocalTimes() {
    }

    public static boolean within(String start, String end, LocalTime time) {
        LocalTime from = LocalTime.parse(start);
        LocalTime to = LocalTime.parse(end);
        if (from.equals(to)) {
            return true;
        }
        if (from.isBefore(to)) {
            return !time.isBefore(from) && time.isBefore(to);
        }
        return !time.isBefore(from) || time.isBefore(to);
    }

    /** Whether a time in an overnight window falls in its part after midnight. */
    public static boolean afterMidnight(String start, String end, LocalTime time) {
        LocalTime from = LocalTime.parse(start);
        return from.isAfter(LocalTime.parse(end)) && time.isBefore(from) && within(start, end, time);
    }

    /**
     * The occurrences of a daily window around an instant, as {start, end} epoch ms: the latest
     * one that has ended at or before the instant (index 0) and the first that ends after it
     * (index 1). A window as long as the whole day runs midnight to midnight.
     */
    public static long[][] occurrences(String start, String end, Instant at, ZoneId zone) {
        LocalTime from = LocalTime.parse(start);
        LocalTime to = LocalTime.parse(end);
        LocalDate today = at.atZone(zone).toLocalDate();
        long[] ended = null;
        long[] next = null;
        for (int offset = -2; offset <= 1; offset++) {
            LocalDate day = today.plusDays(offset);
            long windowStart = day.atTime(from).atZone(zone).toInstant().toEpochMilli();
            LocalDate endDay = to.isAfter(from) ? day : day.plusDays(1);
            long windowEnd = endDay.atTime(to).atZone(zone).toInstant().toEpochMilli();
            if (windowEnd <= at.toEpochMilli()) {
                ended = new long[] {windowStart, windowEnd};
            } else if (next == null) {
                next = new long[] {windowStart, windowEnd};
            }
        }
        return new long[][] {ended, next};
    }
}
