package org.gridwatch.dispatch.domain;

import java.time.LocalTime;
import java.time.ZonedDateTime;

import org.gridwatch.contract.v1.Shift;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.registryview.LocalTimes;

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
        LocalTime time = localNow.toLocalTime();
        if (!LocalTimes.within(shift.getStart(), shift.getEnd(), time)) {
            return false;
        }
        // The part of an overnight shift after midnight belongs to the day it started.
        int day = LocalTimes.afterMidnight(shift.getStart(), shift.getEnd(), time)
                ? localNow.minusDays(1).getDayOfWeek().getValue() : localNow.getDayOfWeek().getValue();
        return shift.getDaysCount() == 0 || shift.getDaysList().contains(day);
    }
}
