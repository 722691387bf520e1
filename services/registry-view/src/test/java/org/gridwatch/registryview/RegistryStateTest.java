package org.gridwatch.registryview;

import static org.assertj.core.api.Assertions.assertThat;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.contract.v1.RegistryRecord;
import org.junit.jupiter.api.Test;

class RegistryStateTest {

    private final RegistryState state = new RegistryState();

    private void area(String id, AreaLevel level, String parent, String zone) {
        RegistryRecord record = RegistryRecord.newBuilder().setArea(Area.newBuilder().setId(id).setLevel(level)
                .setParentId(parent).setTimeZone(zone)).build();
        state.apply(RegistryState.key(record), record);
    }

    @Test
    void locatesAUnitThroughEveryLevelUpToTheDistrict() {
        area("d", AreaLevel.DISTRICT, "", "Asia/Shanghai");
        area("s", AreaLevel.STREET, "d", "");
        area("c", AreaLevel.COMMUNITY, "s", "");
        area("g", AreaLevel.GRID, "c", "");
        area("b", AreaLevel.BUILDING, "g", "");
        area("u", AreaLevel.UNIT, "b", "");

        Location location = state.locate("u");

        assertThat(location).isEqualTo(Location.newBuilder().setDistrictId("d").setStreetId("s").setCommunityId("c")
                .setGridId("g").setBuildingId("b").setUnitId("u").build());
        assertThat(state.timeZoneOf("u")).isEqualTo("Asia/Shanghai");
    }

    @Test
    void aTombstoneRemovesTheEntityAndAnUnknownAreaLocatesNothing() {
        RegistryRecord device = RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId("m1")).build();
        state.apply("device/m1", device);
        assertThat(state.device("m1")).isPresent();

        state.apply("device/m1", null);

        assertThat(state.device("m1")).isEmpty();
        assertThat(state.locate("nowhere")).isEqualTo(Location.getDefaultInstance());
        assertThat(state.timeZoneOf("nowhere")).isEqualTo("UTC");
    }

    @Test
    void anMqttCredentialIsKeptByPrincipalReplacedByTheNextAndRemovedByATombstone() {
        RegistryRecord first = RegistryRecord.newBuilder().setMqttCredential(
                MqttCredential.newBuilder().setPrincipal("gw-1").setIterations(1)).build();
        RegistryRecord second = RegistryRecord.newBuilder().setMqttCredential(
                MqttCredential.newBuilder().setPrincipal("gw-1").setIterations(2)).build();
        assertThat(RegistryState.key(first)).isEqualTo("mqtt-credential/gw-1");

        state.apply(RegistryState.key(first), first);
        state.apply(RegistryState.key(second), second);
        assertThat(state.mqttCredential("gw-1")).hasValueSatisfying(c -> assertThat(c.getIterations()).isEqualTo(2));
        assertThat(state.mqttCredential("gw-2")).isEmpty();

        state.apply("mqtt-credential/gw-1", null);
        assertThat(state.mqttCredential("gw-1")).isEmpty();
    }

    @Test
    void aCycleInTheHierarchyDoesNotHang() {
        area("a", AreaLevel.GRID, "b", "");
        area("b", AreaLevel.COMMUNITY, "a", "");

        assertThat(state.locate("a").getGridId()).isEqualTo("a");
    }
}
