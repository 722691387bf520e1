package org.gridwatch.detection.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.registryview.RegistryState;

/**
 * Confirmation by a second sensor (F1 smoke): the readings of a building's devices meet here, keyed
 * by building. A primary condition alone raises the rule's "alone" severity; a confirming sensor of
 * the same building (or unit) within the window raises, or upgrades to, the "confirmed" one. The
 * primary returning to normal clears.
 */
public final class ConfirmedRule {

    /** What detection remembers per building, for each confirmation rule. */
    public static class AreaState {
        /** rule id -> primary device id -> when its condition began. */
        public Map<String, Map<String, Long>> active = new HashMap<>();
        /** rule id -> primary device id -> severity raised (Severity number). */
        public Map<String, Map<String, Integer>> raised = new HashMap<>();
        /** rule id -> confirming device id -> when it last confirmed. */
        public Map<String, Map<String, Long>> confirmations = new HashMap<>();
    }

    private ConfirmedRule() {
    }

    /** The key readings are grouped by: the device's building, or its own area when it has none. */
    public static String groupOf(Device device, RegistryState registry) {
        String building = registry.locate(device.getAreaId()).getBuildingId();
        return building.isEmpty() ? device.getAreaId() : building;
    }

    public static List<Detection> onReading(Rule rule, AreaState state, Device device, Reading reading,
                                            RegistryState registry, Instant now) {
        Rule.Confirmed condition = rule.getConfirmed();
        long at = Timestamps.toInstant(reading.getObservedAt()).toEpochMilli();
        Map<String, Long> active = state.active.computeIfAbsent(rule.getId(), id -> new HashMap<>());
        Map<String, Integer> raised = state.raised.computeIfAbsent(rule.getId(), id -> new HashMap<>());
        Map<String, Long> confirmations = state.confirmations.computeIfAbsent(rule.getId(), id -> new HashMap<>());
        List<Detection> out = new ArrayList<>();

        if (condition.getConfirmingSensorTypesList().contains(device.getSensorType())
                && condition.getConfirmingAnyOfList().stream().anyMatch(c -> Gates.holds(c, reading.getValuesMap()))) {
            confirmations.put(device.getId(), at);
            // A confirmation upgrades the primaries it can reach that are raised alone.
            for (Map.Entry<String, Long> primary : active.entrySet()) {
                if (!primary.getKey().equals(device.getId()) && sameScope(condition, primary.getKey(), device, registry)
                        && raised.getOrDefault(primary.getKey(), 0) < confirmedSeverity(condition).getNumber()) {
                    raised.put(primary.getKey(), confirmedSeverity(condition).getNumber());
                    out.add(detection(rule, primary.getKey(), registry, reading, now, Detection.Phase.RAISED,
                            confirmedSeverity(condition), primary.getValue(), "Confirmed by " + device.getId()
                                    + " (" + device.getSensorType() + ")"));
                }
            }
        }

        if (rule.getSensorTypesCount() == 0 || rule.getSensorTypesList().contains(device.getSensorType())) {
            boolean holds = Gates.holds(condition.getPrimary(), reading.getValuesMap());
            if (holds && !active.containsKey(device.getId())) {
                active.put(device.getId(), at);
                String confirmer = confirmer(condition, confirmations, device, at, registry);
                Severity severity = confirmer == null ? aloneSeverity(condition) : confirmedSeverity(condition);
                raised.put(device.getId(), severity.getNumber());
                out.add(detection(rule, device.getId(), registry, reading, now, Detection.Phase.RAISED, severity, at,
                        confirmer == null ? condition.getPrimary().getField() + " on " + device.getId()
                                + ", not confirmed by a second sensor yet"
                                : condition.getPrimary().getField() + " on " + device.getId() + ", confirmed by "
                                + confirmer));
            } else if (!holds && active.containsKey(device.getId())
                    && reading.getValuesMap().containsKey(condition.getPrimary().getField())) {
                long since = active.remove(device.getId());
                Integer severity = raised.remove(device.getId());
                out.add(detection(rule, device.getId(), registry, reading, now, Detection.Phase.CLEARED,
                        severity == null ? aloneSeverity(condition) : Severity.forNumber(severity), since,
                        condition.getPrimary().getField() + " back to normal on " + device.getId()));
            }
        }
        return out;
    }

    private static String confirmer(Rule.Confirmed condition, Map<String, Long> confirmations, Device primary, long at,
                                    RegistryState registry) {
        long window = condition.getWithinSeconds() * 1000L;
        for (Map.Entry<String, Long> confirmation : confirmations.entrySet()) {
            if (!confirmation.getKey().equals(primary.getId()) && Math.abs(at - confirmation.getValue()) <= window
                    && sameScope(condition, confirmation.getKey(), primary, registry)) {
                return confirmation.getKey();
            }
        }
        return null;
    }

    /**
     * Whether another device may confirm this one: in "unit" scope only a device of the same home;
     * in "building" scope also one in the building's common areas (a hall heat detector), but never
     * one in another home, since two kitchens cooking at dinner time are not one fire.
     */
    private static boolean sameScope(Rule.Confirmed condition, String otherDeviceId, Device device,
                                     RegistryState registry) {
        Optional<Device> other = registry.device(otherDeviceId);
        if (other.isEmpty()) {
            return false;
        }
        if (other.get().getAreaId().equals(device.getAreaId())) {
            return true;
        }
        if ("unit".equals(condition.getScope())) {
            return false;
        }
        boolean otherInAHome = registry.area(other.get().getAreaId()).map(a -> a.getLevel() == AreaLevel.UNIT).orElse(false);
        boolean thisInAHome = registry.area(device.getAreaId()).map(a -> a.getLevel() == AreaLevel.UNIT).orElse(false);
        return !(otherInAHome && thisInAHome);
    }

    private static Severity aloneSeverity(Rule.Confirmed condition) {
        return Detections.orDefault(condition.getAlone(), Severity.WARNING);
    }

    private static Severity confirmedSeverity(Rule.Confirmed condition) {
        return Detections.orDefault(condition.getConfirmed(), Severity.CRITICAL);
    }

    private static Detection detection(Rule rule, String deviceId, RegistryState registry, Reading reading, Instant now,
                                       Detection.Phase phase, Severity severity, long since, String summary) {
        String areaId = registry.device(deviceId).map(Device::getAreaId).orElse("");
        String id = rule.getId() + ":" + deviceId + ":" + since + ":"
                + (phase == Detection.Phase.CLEARED ? "clear" : severity.name().toLowerCase());
        return Detections.of(rule, id, phase, severity, deviceId, deviceId, areaId, now, since, Evidence.newBuilder()
                .putThresholds("withinSeconds", rule.getConfirmed().getWithinSeconds()).addReadings(reading), summary);
    }
}
