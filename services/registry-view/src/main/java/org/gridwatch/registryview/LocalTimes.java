package org.gridwatch.registryview;

import java.time.LocalTime;

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
}
