package org.gridwatch.dispatch.domain;

import java.time.LocalTime;
import java.time.ZonedDateTime;

import org.gridwatch.contract.v1.Shift;
import org.gridwatch.contract.v1.Worker;

/** Whether a worker is on shift at a local time of their area. */
public final class Shifts {

    private Shifts() {
    }

    public static boolean onDuty(Worker worker, ZonedDateTime localNow) {
        for (Shift shift : worker.getShiftsList()) {
            if (covers(shift, localNow)) {
                return true;
            }
        }
        return false;
    }

    static boolean covers(Shift shift, ZonedDateTime localNow) {
        LocalTime start = LocalTime.parse(shift.getStart());
        LocalTime end = LocalTime.parse(shift.getEnd());
        LocalTime time = localNow.toLocalTime();
        boolean inTime;
        int day = localNow.getDayOfWeek().getValue();
        if (start.equals(end)) {
            inTime = true;
        } else if (start.isBefore(end)) {
            inTime = !time.isBefore(start) && time.isBefore(end);
        } else {
            // Overnight: the part after midnight belongs to the shift that started the day before.
            if (!time.isBefore(start)) {
                inTime = true;
            } else if (time.isBefore(end)) {
                inTime = true;
                day = localNow.minusDays(1).getDayOfWeek().getValue();
            } else {
                inTime = false;
            }
        }
        return inTime && (shift.getDaysCount() == 0 || shift.getDaysList().contains(day));
    }
}
