package org.gridwatch.registryview;

import static org.assertj.core.api.Assertions.assertThat;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Location;
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
    void aCycleInTheHierarchyDoesNotHang() {
        area("a", AreaLevel.GRID, "b", "");
        area("b", AreaLevel.COMMUNITY, "a", "");

        assertThat(state.locate("a").getGridId()).isEqualTo("a");
    }
}
