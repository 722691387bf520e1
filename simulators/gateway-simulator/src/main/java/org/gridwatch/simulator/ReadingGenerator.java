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
                        .putValues("respirationRate", high ? 24 : 13 + random.nextInt(5))
                        .putValues("inBed", 1)
                        .putValues("movement", random.nextInt(3));
            }
            case "door-contact" -> reading.putValues("open", random.nextInt(40) == 0 ? 1 : 0)
                    .putValues("battery", 88);
            case "infrared" -> reading.putValues("motion", random.nextInt(4) == 0 ? 1 : 0).putValues("battery", 91);
            case "smoke" -> reading.putValues("smoke", 0).putValues("battery", 95).putValues("tamper", 0);
            case "elevator" -> reading.putValues("direction", 0).putValues("floor", 1 + random.nextInt(6))
                    .putValues("level", 1).putValues("door", 0).putValues("people", random.nextInt(2))
                    .putValues("inspection", 0).putValues("maintenance", 0);
            default -> reading.putValues("heartbeat", 1);
        }
        return reading.build();
    }
}
