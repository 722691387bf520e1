package org.gridwatch.detection.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Resident;
import org.gridwatch.registryview.RegistryState;

/**
 * A large registry for the benchmark: homes of people living alone (mattress, door, infrared,
 * smoke) and buildings of ten homes (heat, electrical fire, gas, elevator), in grids of 20
 * buildings under one district, until the device count is reached; and normal readings for them.
 */
final class BenchCommunity {

    private record Placed(String id, String type, String gatewayId) {
    }

    private final List<Placed> devices = new ArrayList<>();
    private final List<String> smokeDetectors = new ArrayList<>();
    private int probes;

    BenchCommunity(RegistryState registry, int deviceCount) {
        put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("bench").setLevel(AreaLevel.DISTRICT)
                .setTimeZone("Asia/Shanghai")).build());
        for (int b = 0; devices.size() < deviceCount; b++) {
            String building = "bb" + b;
            if (b % 20 == 0) {
                put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("bg" + b / 20)
                        .setLevel(AreaLevel.GRID).setParentId("bench")).build());
            }
            put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId(building).setLevel(AreaLevel.BUILDING)
                    .setParentId("bg" + b / 20)).build());
            for (String type : List.of("heat", "electrical-fire", "gas", "elevator")) {
                device(registry, type + "-" + building, type, building, "gw-" + building, Device.Power.MAINS);
            }
            for (int u = 0; u < 10 && devices.size() < deviceCount; u++) {
                String unit = building + "-" + u;
                put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId(unit).setLevel(AreaLevel.UNIT)
                        .setParentId(building)).build());
                put(registry, RegistryRecord.newBuilder().setResident(Resident.newBuilder().setId("r-" + unit)
                        .setUnitId(unit).addFlags("lives-alone")).build());
                device(registry, "mat-" + unit, "mattress", unit, "gw-" + unit, Device.Power.MAINS);
                device(registry, "door-" + unit, "door-contact", unit, "gw-" + unit, Device.Power.BATTERY);
                device(registry, "pir-" + unit, "infrared", unit, "gw-" + unit, Device.Power.BATTERY);
                device(registry, "smoke-" + unit, "smoke", unit, "gw-" + unit, Device.Power.BATTERY);
                smokeDetectors.add("smoke-" + unit);
            }
        }
    }

    int size() {
        return devices.size();
    }

    /**
     * The i-th reading: devices in turn, with normal values. A probe is a smoke detector's tamper
     * flag, toggled on each probe of that detector, which raises or clears D4 at once.
     */
    Reading reading(int i, Instant now, boolean probe) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Reading.Builder reading = Reading.newBuilder().setEventId(UUID_PREFIX + i + "-" + now.toEpochMilli())
                .setObservedAt(Timestamps.of(now)).setReceivedAt(Timestamps.of(now));
        if (probe) {
            int n = probes++;
            String smoke = smokeDetectors.get(n % smokeDetectors.size());
            boolean tampered = (n / smokeDetectors.size()) % 2 == 0;
            return reading.setDeviceId(smoke).setSensorType("smoke").setGatewayId("gw-" + smoke.substring(6))
                    .putValues("smoke", 0).putValues("battery", 90).putValues("tamper", tampered ? 1 : 0).build();
        }
        Placed device = devices.get(i % devices.size());
        reading.setDeviceId(device.id()).setSensorType(device.type()).setGatewayId(device.gatewayId());
        switch (device.type()) {
            case "mattress" -> reading.putValues("heartRate", 60 + random.nextInt(15))
                    .putValues("respirationRate", 13 + random.nextInt(5)).putValues("inBed", 1)
                    .putValues("movement", random.nextInt(3)).putValues("noBreath", 0);
            case "door-contact" -> reading.putValues("open", random.nextInt(10) == 0 ? 1 : 0).putValues("battery", 80)
                    .putValues("tamper", 0);
            case "infrared" -> reading.putValues("motion", random.nextInt(3) == 0 ? 1 : 0).putValues("battery", 80)
                    .putValues("tamper", 0);
            case "smoke" -> reading.putValues("smoke", 0).putValues("battery", 90).putValues("tamper", 0);
            case "heat" -> reading.putValues("temperature", 22 + random.nextInt(3)).putValues("alarm", 0)
                    .putValues("battery", 100).putValues("tamper", 0);
            case "electrical-fire" -> reading.putValues("residualCurrent", 100 + random.nextInt(80))
                    .putValues("cableTemperature1", 35).putValues("tamper", 0);
            case "gas" -> reading.putValues("lel", random.nextInt(3)).putValues("alarm", 0).putValues("tamper", 0);
            case "elevator" -> reading.putValues("direction", 0).putValues("level", 1).putValues("floor", 1)
                    .putValues("door", 0).putValues("people", 0).putValues("inspection", 0)
                    .putValues("maintenance", 0).putValues("faultCode", 0);
            default -> reading.putValues("heartbeat", 1);
        }
        return reading.build();
    }

    private static final String UUID_PREFIX = "bench-";

    private void device(RegistryState registry, String id, String type, String areaId, String gatewayId,
                        Device.Power power) {
        put(registry, RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId(id).setSensorType(type)
                .setAreaId(areaId).setGatewayId(gatewayId).setPower(power)).build());
        devices.add(new Placed(id, type, gatewayId));
    }

    private static void put(RegistryState registry, RegistryRecord record) {
        registry.apply(RegistryState.key(record), record);
    }
}
