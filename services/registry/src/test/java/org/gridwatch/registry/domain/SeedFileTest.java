package org.gridwatch.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.registryview.RuleValidation;
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

    @Test
    void theShippedRulesAreValidAndADeploymentsFileReplacesARuleById() {
        List<String> withDemo = new java.util.ArrayList<>(DEFAULTS);
        withDemo.add("../../deploy/demo-rules.json");

        Map<String, Rule> rules = SeedFile.loadAll(withDemo).stream().filter(RegistryRecord::hasRule)
                .map(RegistryRecord::getRule).collect(Collectors.toMap(Rule::getId, r -> r));

        assertThat(rules).containsKeys("V1", "V2", "V3", "V4", "I1", "I2", "F1", "F2", "F3", "F4", "F6", "E1", "E2", "E3", "E5", "D1",
                "E6", "D2-mains", "D2-battery", "D3", "D4");
        assertThat(rules.get("V1").getVersion()).isEqualTo(2);
        assertThat(rules.get("V1").getThreshold().getSustainSeconds()).isEqualTo(30);
        assertThat(rules.get("V2").getThreshold().getSustainSeconds()).isEqualTo(60);
        assertThat(rules.values()).allSatisfy(r -> assertThat(r.getSource()).isNotBlank());
    }

    @Test
    void ruleMistakesAreEachNamedByTheirField() {
        Map<String, SensorType> catalog = Map.of("mattress", SensorType.newBuilder().setName("mattress")
                .addFields(SensorType.Field.newBuilder().setName("heartRate")).build());
        Rule broken = Rule.newBuilder().setId("bad id").setKind("Heart Rate").addSensorTypes("mattress")
                .addSensorTypes("ghost").setThreshold(Rule.Threshold.newBuilder().setField("pulse").setSustainSeconds(-1)
                        .addLevels(Rule.Level.newBuilder()).putOnlyWhen("inBed", 1)).build();

        assertThat(RuleValidation.problems(broken, catalog)).containsExactly(
                "id 'bad id' must be letters, digits, '.', '_' or '-'",
                "version must be 1 or more, got 0",
                "kind 'Heart Rate' must be dotted lower-case words, e.g. vital-signs.heart-rate",
                "sensorTypes[1] 'ghost' is not in the sensor-type catalog",
                "threshold.field 'pulse' is not a field of mattress",
                "threshold.levels[0].severity is missing (INFO, WARNING or CRITICAL)",
                "threshold.levels[0] needs atOrBelow or atOrAbove",
                "threshold.sustainSeconds must not be negative, got -1",
                "threshold.onlyWhen.inBed 'inBed' is not a field of mattress");
        assertThat(RuleValidation.problems(Rule.newBuilder().setId("x").setVersion(1).setKind("a.b").build(), catalog))
                .containsExactly("a condition is required: threshold, pattern, rateOfChange, repeated, confirmed, noData,"
                        + " noActivity or gatewayOffline");
    }

    private static List<String> fields(SensorType type) {
        return type.getFieldsList().stream().map(SensorType.Field::getName).toList();
    }
}
