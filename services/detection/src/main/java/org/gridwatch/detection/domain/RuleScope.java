package org.gridwatch.detection.domain;

import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Resident;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.registryview.RegistryState;

/** Whether a rule watches a device: switched on, and the device is of its types, power and areas. */
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
        return rule.getAreaIdsCount() == 0
                || rule.getAreaIdsList().stream().anyMatch(area -> registry.isWithin(device.getAreaId(), area));
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
