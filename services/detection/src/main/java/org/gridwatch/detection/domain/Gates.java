package org.gridwatch.detection.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.v1.Rule;
import org.gridwatch.registryview.LocalTimes;

/** The tests that decide whether a sample counts for a rule at all. */
final class Gates {

    private Gates() {
    }

    /** False when a named value of the reading differs from the one required (a missing value passes). */
    static boolean onlyWhen(Map<String, Double> required, Map<String, Double> values) {
        for (Map.Entry<String, Double> gate : required.entrySet()) {
            Double actual = values.get(gate.getKey());
            if (actual != null && !actual.equals(gate.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the sample's local time (in the device's area's zone) is inside the rule's active hours. */
    static boolean activeAt(Rule rule, long observedAt, ZoneId zone) {
        if (!rule.hasActiveHours()) {
            return true;
        }
        return LocalTimes.within(rule.getActiveHours().getStart(), rule.getActiveHours().getEnd(),
                Instant.ofEpochMilli(observedAt).atZone(zone).toLocalTime());
    }

    static boolean holds(Rule.Check check, Map<String, Double> values) {
        return holds(check, values, Map.of());
    }

    /** Whether the check holds on the reading's values, comparing with the device's properties where it says so. */
    static boolean holds(Rule.Check check, Map<String, Double> values, Map<String, Double> properties) {
        Double value = values.get(check.getField());
        if (value == null) {
            return false;
        }
        return (!check.hasAtOrBelow() || value <= check.getAtOrBelow())
                && (!check.hasAtOrAbove() || value >= check.getAtOrAbove())
                && (!check.hasEquals() || value == check.getEquals())
                && (check.getAtOrBelowProperty().isEmpty() || (properties.containsKey(check.getAtOrBelowProperty())
                        && value <= properties.get(check.getAtOrBelowProperty())))
                && (check.getAtOrAboveProperty().isEmpty() || (properties.containsKey(check.getAtOrAboveProperty())
                        && value >= properties.get(check.getAtOrAboveProperty())));
    }

    static boolean allHold(List<Rule.Check> checks, Map<String, Double> values) {
        return allHold(checks, values, Map.of());
    }

    static boolean allHold(List<Rule.Check> checks, Map<String, Double> values, Map<String, Double> properties) {
        for (Rule.Check check : checks) {
            if (!holds(check, values, properties)) {
                return false;
            }
        }
        return true;
    }
}
