package org.gridwatch.console.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the pages write times: in the district's time zone, short on the board, whole elsewhere. */
public final class Times {

    /** The demo district's zone; an area of the registry may name its own. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter WHOLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter EARLIER = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    private Times() {
    }

    /** An ISO-8601 instant as the date and time of the district. */
    public static String whole(String instant) {
        return Instant.parse(instant).atZone(DEFAULT_ZONE).format(WHOLE);
    }

    /** The time alone for today, the day and time for earlier. */
    public static String brief(Instant instant, ZoneId zone) {
        var local = instant.atZone(zone);
        return local.format(local.toLocalDate().equals(LocalDate.now(zone)) ? TODAY : EARLIER);
    }
}
