package org.gridwatch.simulator;

import java.util.Arrays;
import java.util.Optional;

/** Incidents the simulator can inject into a device's readings, by name. */
public enum Incident {
    /** A mattress reports heart rate 140 bpm while the resident is in bed (rule V1, critical). */
    HIGH_HEART_RATE("high-heart-rate", "mattress"),
    /** The device stops publishing altogether (rule D2). */
    DEVICE_SILENT("device-silent", null);

    private final String name;
    private final String sensorType;

    Incident(String name, String sensorType) {
        this.name = name;
        this.sensorType = sensorType;
    }

    public String displayName() {
        return name;
    }

    /** The sensor type the incident needs, or null when any device will do. */
    public String sensorType() {
        return sensorType;
    }

    public static Optional<Incident> byName(String name) {
        return Arrays.stream(values()).filter(i -> i.name.equals(name)).findFirst();
    }
}
