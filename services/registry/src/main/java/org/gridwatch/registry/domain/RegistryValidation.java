package org.gridwatch.registry.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.registryview.RuleValidation;
import org.gridwatch.contract.v1.Worker;

/** Checks that a community hangs together, and names every mistake at once. */
public final class RegistryValidation {

    private RegistryValidation() {
    }

    public static void requireValid(RegistrySnapshot snapshot) {
        List<String> problems = problems(snapshot);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Registry data has " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    public static List<String> problems(RegistrySnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (SensorType type : snapshot.getSensorTypesList()) {
            types.add(type.getName());
            SensorTypeValidation.problems(type).forEach(p -> problems.add("sensor type " + type.getName() + ": " + p));
        }
        Map<String, SensorType> catalog = new HashMap<>();
        snapshot.getSensorTypesList().forEach(t -> catalog.put(t.getName(), t));
        Set<String> rules = new HashSet<>();
        for (Rule rule : snapshot.getRulesList()) {
            if (!rules.add(rule.getId())) {
                problems.add("rule " + rule.getId() + " is defined twice");
            }
            RuleValidation.problems(rule, catalog).forEach(p -> problems.add("rule " + rule.getId() + ": " + p));
        }
        Set<String> areas = new HashSet<>();
        for (Area area : snapshot.getAreasList()) {
            if (area.getId().isBlank()) {
                problems.add("an area has no id");
            } else if (!areas.add(area.getId())) {
                problems.add("area " + area.getId() + " is defined twice");
            }
            if (area.getLevel() == AreaLevel.AREA_LEVEL_UNSPECIFIED) {
                problems.add("area " + area.getId() + " has no level");
            }
        }
        for (Area area : snapshot.getAreasList()) {
            if (!area.getParentId().isEmpty() && !areas.contains(area.getParentId())) {
                problems.add("area " + area.getId() + " has an unknown parent " + area.getParentId());
            }
        }
        Set<String> gateways = new HashSet<>();
        for (Gateway gateway : snapshot.getGatewaysList()) {
            gateways.add(gateway.getId());
            if (!areas.contains(gateway.getAreaId())) {
                problems.add("gateway " + gateway.getId() + " is in an unknown area " + gateway.getAreaId());
            }
        }
        for (Device device : snapshot.getDevicesList()) {
            problems.addAll(deviceProblems(device, gateways, areas, types));
        }
        for (Worker worker : snapshot.getWorkersList()) {
            if (!areas.contains(worker.getAreaId())) {
                problems.add("worker " + worker.getId() + " answers for an unknown area " + worker.getAreaId());
            }
        }
        return problems;
    }

    public static List<String> deviceProblems(Device device, Set<String> gateways, Set<String> areas,
                                              Set<String> sensorTypes) {
        List<String> problems = new ArrayList<>();
        if (device.getId().isBlank()) {
            problems.add("a device has no id");
        }
        if (device.getSensorType().isBlank()) {
            problems.add("device " + device.getId() + " has no sensor type");
        } else if (!sensorTypes.contains(device.getSensorType())) {
            problems.add("device " + device.getId() + " has an unknown sensor type '" + device.getSensorType()
                    + "' (register it under /api/v1/sensor-types first)");
        }
        if (!gateways.contains(device.getGatewayId())) {
            problems.add("device " + device.getId() + " is on an unknown gateway '" + device.getGatewayId() + "'");
        }
        if (!areas.contains(device.getAreaId())) {
            problems.add("device " + device.getId() + " is in an unknown area '" + device.getAreaId() + "'");
        }
        return problems;
    }
}
