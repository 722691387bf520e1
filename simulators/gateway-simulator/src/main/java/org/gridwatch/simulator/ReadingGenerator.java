package org.gridwatch.simulator;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Reading;

/**
 * Plausible readings for each sensor type of the demo community: a normal day, with nothing a
 * rule should raise, unless an incident is injected.
 */
final class ReadingGenerator {

    private final Random random;
    /** Where each elevator is in its cycle. */
    private final java.util.Map<String, Integer> elevatorStep = new java.util.HashMap<>();

    ReadingGenerator(long seed) {
        this.random = new Random(seed);
    }

    Reading next(Device device, Instant now, Incident incident) {
        Reading.Builder reading = Reading.newBuilder().setEventId(UUID.randomUUID().toString())
                .setDeviceId(device.getId()).setSensorType(device.getSensorType()).setObservedAt(Timestamps.of(now));
        switch (device.getSensorType()) {
            case "mattress" -> {
                boolean high = incident == Incident.HIGH_HEART_RATE;
                reading.putValues("heartRate", high ? 140 : 62 + random.nextInt(16))
                        .putValues("respirationRate", 13 + random.nextInt(5))
                        .putValues("inBed", 1)
                        .putValues("movement", random.nextInt(3));
            }
            case "door-contact" -> reading.putValues("open", random.nextInt(40) == 0 ? 1 : 0)
                    .putValues("battery", 88);
            case "infrared" -> reading.putValues("motion", random.nextInt(4) == 0 ? 1 : 0).putValues("battery", 91);
            case "smoke" -> reading.putValues("smoke", 0).putValues("battery", 95).putValues("tamper", 0);
            case "elevator" -> elevator(device.getId(), reading);
            default -> reading.putValues("heartbeat", 1);
        }
        return reading.build();
    }

    /**
     * An elevator's normal cycle, one step a sample: idle at a floor with the door closed, door
     * open while people board, running between floors (not level), arriving with the door open.
     * No step is a state an elevator rule raises on.
     */
    private void elevator(String deviceId, Reading.Builder reading) {
        int step = elevatorStep.merge(deviceId, 1, Integer::sum) % 6;
        int floor = 1 + (step * 2) % 7;
        // direction, level, door, people
        int[][] cycle = {{0, 1, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {0, 1, 1, 1}};
        int[] state = cycle[step];
        reading.putValues("direction", state[0]).putValues("level", state[1]).putValues("door", state[2])
                .putValues("people", state[3]).putValues("floor", floor).putValues("inspection", 0)
                .putValues("maintenance", 0).putValues("faultCode", 0);
    }
}
