package org.gridwatch.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.contract.v1.SensorType;
import org.junit.jupiter.api.Test;

class SeedFileTest {

    private static final List<String> DEFAULTS = List.of("classpath:sensor-types.json", "classpath:rules.json",
            "classpath:demo-community.json");

    @Test
    void theShippedCatalogHasATypeForEverySensorOfTheSourceWithItsFields() {
        Map<String, SensorType> types = SeedFile.loadAll(DEFAULTS).stream()
                .filter(RegistryRecord::hasSensorType).map(RegistryRecord::getSensorType)
                .collect(Collectors.toMap(SensorType::getName, t -> t));

        assertThat(types).containsKeys("door-contact", "mattress", "infrared", "smoke", "heat", "electrical-fire", "gas",
                "elevator", "device-health");
        assertThat(fields(types.get("mattress"))).contains("heartRate", "respirationRate", "inBed", "movement");
        assertThat(fields(types.get("electrical-fire"))).contains("residualCurrent", "cableTemperature1",
                "cableTemperature4");
        assertThat(fields(types.get("elevator"))).contains("direction", "level", "floor", "door", "people",
                "inspection", "maintenance", "faultCode");
        assertThat(fields(types.get("device-health"))).contains("heartbeat", "battery", "tamper");
        assertThat(types.values()).allSatisfy(t -> assertThat(SensorTypeValidation.problems(t)).isEmpty());
    }

    @Test
    void everyDemoDeviceHasATypeOfTheCatalog() {
        List<RegistryRecord> records = SeedFile.loadAll(DEFAULTS);

        assertThat(records.stream().filter(RegistryRecord::hasDevice).map(RegistryRecord::getDevice)
                .map(Device::getSensorType).distinct())
                .isSubsetOf(records.stream().filter(RegistryRecord::hasSensorType)
                        .map(r -> r.getSensorType().getName()).toList());
    }

    @Test
    void aBrokenCommunityIsRefusedWithEveryMistakeNamed() {
        RegistrySnapshot broken = RegistrySnapshot.newBuilder()
                .addSensorTypes(SensorType.newBuilder().setName("Bad Name")
                        .addFields(SensorType.Field.newBuilder().setName("x").setMin(3).setMax(1)))
                .addDevices(Device.newBuilder().setId("d1").setGatewayId("gw-x").setAreaId("nowhere").setSensorType("ghost"))
                .build();

        assertThatThrownBy(() -> RegistryValidation.requireValid(broken))
                .hasMessageContainingAll("5 problem(s)", "name 'Bad Name'", "fields[0].min 3.0 is above fields[0].max 1.0",
                        "unknown sensor type 'ghost'", "unknown gateway 'gw-x'", "unknown area 'nowhere'");
    }

    private static List<String> fields(SensorType type) {
        return type.getFieldsList().stream().map(SensorType.Field::getName).toList();
    }
}
