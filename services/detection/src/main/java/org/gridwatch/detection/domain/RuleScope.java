package org.gridwatch.detection.domain;

import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Resident;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.registryview.RegistryState;

/** Whether a rule watches a device: switched on, and the device is of its types, power, rooms and areas. */
public final class RuleScope {

    private RuleScope() {
    }

    public static boolean applies(Rule rule, Device device, RegistryState registry) {
        if (rule.getDisabled()) {
            return false;
        }
        if (rule.getSensorTypesCount() > 0 && !rule.getSensorTypesList().contains(device.getSensorType())) {
            return false;
        }
        if (rule.getPower() != Device.Power.POWER_UNSPECIFIED && rule.getPower() != device.getPower()) {
            return false;
        }
        if ((rule.getRoomsCount() > 0 && !rule.getRoomsList().contains(device.getRoom()))
                || rule.getExcludedRoomsList().contains(device.getRoom())) {
            return false;
        }
        return inArea(rule, device.getAreaId(), registry);
    }

    /**
     * Whether an area lies under one of the rule's areas (a rule without areas covers all) and
     * under none of its excluded areas.
     */
    public static boolean inArea(Rule rule, String areaId, RegistryState registry) {
        return (rule.getAreaIdsCount() == 0
                || rule.getAreaIdsList().stream().anyMatch(area -> registry.isWithin(areaId, area)))
                && rule.getExcludedAreaIdsList().stream().noneMatch(area -> registry.isWithin(areaId, area));
    }

    /**
     * The rule as it applies to this device: a threshold rule with the levels (and sustain time)
     * of its first override that names the device or an area it lies in; otherwise the rule itself.
     */
    public static Rule forDevice(Rule rule, Device device, RegistryState registry) {
        if (!rule.hasThreshold() || rule.getOverridesCount() == 0) {
            return rule;
        }
        for (Rule.Override override : rule.getOverridesList()) {
            boolean matches = override.getDeviceIdsList().contains(device.getId())
                    || override.getAreaIdsList().stream().anyMatch(area -> registry.isWithin(device.getAreaId(), area));
            if (matches) {
                Rule.Threshold.Builder threshold = rule.getThreshold().toBuilder();
                if (override.getLevelsCount() > 0) {
                    threshold.clearLevels().addAllLevels(override.getLevelsList());
                }
                if (override.hasSustainSeconds()) {
                    threshold.setSustainSeconds(override.getSustainSeconds());
                }
                return rule.toBuilder().setThreshold(threshold).build();
            }
        }
        return rule;
    }

    /** Whether a resident of the device's unit has a flag that silences the rule ("away", "holiday"). */
    public static boolean suppressed(Rule rule, Device device, RegistryState registry) {
        if (rule.getSuppressedByResidentFlagsCount() == 0) {
            return false;
        }
        for (Resident resident : registry.residentsOf(device.getAreaId())) {
            for (String flag : resident.getFlagsList()) {
                if (rule.getSuppressedByResidentFlagsList().contains(flag)) {
                    return true;
                }
            }
        }
        return false;
    }
}
