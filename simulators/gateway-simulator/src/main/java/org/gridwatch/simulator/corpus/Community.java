package org.gridwatch.simulator.corpus;

import java.util.ArrayList;
import java.util.List;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.contract.v1.Resident;

/**
 * The corpus's community: one street of buildings, each with an elevator (while elevators last),
 * a hall heat detector, an electrical-fire monitor and a gas detector on the building's gateway;
 * and homes of people living alone, each with a mattress, a door contact, an infrared sensor and
 * a smoke detector on the home's gateway. Every 20th resident is away for the whole corpus.
 */
final class Community {

    static final String ZONE = "Asia/Shanghai";

    record Home(String unitId, String buildingId, String gatewayId, String residentId, boolean away) {
        String mattress() {
            return "mat-" + unitId;
        }

        String door() {
            return "door-" + unitId;
        }

        String infrared() {
            return "pir-" + unitId;
        }

        String smoke() {
            return "smoke-" + unitId;
        }

        String bathroom() {
            return "pirb-" + unitId;
        }
    }

    record Building(String id, String gatewayId, boolean hasElevator, int topFloor) {
        String heat() {
            return "heat-" + id;
        }

        String electrical() {
            return "elec-" + id;
        }

        String gas() {
            return "gas-" + id;
        }

        String elevator() {
            return "elev-" + id;
        }
    }

    final List<Home> homes = new ArrayList<>();
    final List<Building> buildings = new ArrayList<>();
    final RegistrySnapshot.Builder registry = RegistrySnapshot.newBuilder();

    Community(int residents, int elevators) {
        int buildingCount = Math.max(elevators, (residents + 9) / 10);
        int homesPerBuilding = (residents + buildingCount - 1) / buildingCount;
        area("ev-district", AreaLevel.DISTRICT, "", "Eval district").setTimeZone(ZONE);
        area("ev-street", AreaLevel.STREET, "ev-district", "Eval street");
        area("ev-c", AreaLevel.COMMUNITY, "ev-street", "Eval community");
        int home = 0;
        for (int b = 0; b < buildingCount; b++) {
            String grid = "ev-g" + (b / 5 + 1);
            if (b % 5 == 0) {
                area(grid, AreaLevel.GRID, "ev-c", "Grid " + (b / 5 + 1));
            }
            Building building = new Building("ev-b" + (b + 1), "gw-ev-b" + (b + 1), b < elevators, 6 + (b % 4) * 4);
            buildings.add(building);
            area(building.id(), AreaLevel.BUILDING, grid, "Building " + (b + 1));
            gateway(building.gatewayId(), building.id());
            device(building.heat(), building.gatewayId(), building.id(), "heat", Device.Power.MAINS);
            device(building.electrical(), building.gatewayId(), building.id(), "electrical-fire", Device.Power.MAINS);
            device(building.gas(), building.gatewayId(), building.id(), "gas", Device.Power.MAINS);
            if (building.hasElevator()) {
                device(building.elevator(), building.gatewayId(), building.id(), "elevator", Device.Power.MAINS);
                registry.getDevicesBuilder(registry.getDevicesCount() - 1).putProperties("topFloor", building.topFloor())
                        .putProperties("bottomFloor", 1);
            }
            for (int u = 0; u < homesPerBuilding && home < residents; u++, home++) {
                String unit = building.id() + "-" + (u + 1);
                Home h = new Home(unit, building.id(), "gw-" + unit, "r-" + unit, home % 20 == 19);
                homes.add(h);
                area(unit, AreaLevel.UNIT, building.id(), "Unit " + (u + 1));
                gateway(h.gatewayId(), unit);
                device(h.mattress(), h.gatewayId(), unit, "mattress", Device.Power.MAINS);
                device(h.door(), h.gatewayId(), unit, "door-contact", Device.Power.BATTERY);
                device(h.infrared(), h.gatewayId(), unit, "infrared", Device.Power.BATTERY);
                registry.getDevicesBuilder(registry.getDevicesCount() - 1).setRoom("living-room");
                device(h.bathroom(), h.gatewayId(), unit, "infrared", Device.Power.BATTERY);
                registry.getDevicesBuilder(registry.getDevicesCount() - 1).setRoom("bathroom");
                device(h.smoke(), h.gatewayId(), unit, "smoke", Device.Power.BATTERY);
                Resident.Builder resident = Resident.newBuilder().setId(h.residentId()).setUnitId(unit)
                        .addFlags("lives-alone").setDisplayName("Resident of " + unit);
                if (h.away()) {
                    resident.addFlags("away");
                }
                registry.addResidents(resident);
            }
        }
    }

    List<Home> homesAtHome() {
        return homes.stream().filter(h -> !h.away()).toList();
    }

    private Area.Builder area(String id, AreaLevel level, String parent, String name) {
        registry.addAreas(Area.newBuilder().setId(id).setLevel(level).setParentId(parent).setName(name));
        return registry.getAreasBuilder(registry.getAreasCount() - 1);
    }

    private void gateway(String id, String areaId) {
        registry.addGateways(Gateway.newBuilder().setId(id).setAreaId(areaId));
    }

    private void device(String id, String gatewayId, String areaId, String type, Device.Power power) {
        registry.addDevices(Device.newBuilder().setId(id).setGatewayId(gatewayId).setAreaId(areaId).setSensorType(type)
                .setPower(power));
    }
}
