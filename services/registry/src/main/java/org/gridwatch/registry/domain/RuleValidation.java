package org.gridwatch.registry.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.contract.v1.Severity;

/**
 * Checks a rule definition against the sensor-type catalog and names the field of every mistake
 * ("threshold.levels[0].severity is missing"), so an integrator can fix it without guessing.
 */
public final class RuleValidation {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

    private RuleValidation() {
    }

    public static List<String> problems(Rule rule, Map<String, SensorType> catalog) {
        List<String> problems = new ArrayList<>();
        if (!ID.matcher(rule.getId()).matches()) {
            problems.add("id '" + rule.getId() + "' must be letters, digits, '.', '_' or '-'");
        }
        if (rule.getVersion() < 1) {
            problems.add("version must be 1 or more, got " + rule.getVersion());
        }
        if (!KIND.matcher(rule.getKind()).matches()) {
            problems.add("kind '" + rule.getKind() + "' must be dotted lower-case words, e.g. vital-signs.heart-rate");
        }
        List<SensorType> types = new ArrayList<>();
        for (int i = 0; i < rule.getSensorTypesCount(); i++) {
            SensorType type = catalog.get(rule.getSensorTypes(i));
            if (type == null) {
                problems.add("sensorTypes[" + i + "] '" + rule.getSensorTypes(i) + "' is not in the sensor-type catalog");
            } else {
                types.add(type);
            }
        }
        switch (rule.getConditionCase()) {
            case THRESHOLD -> threshold(rule.getThreshold(), types, problems);
            case NO_DATA -> {
                if (rule.getNoData().getAfterSeconds() <= 0) {
                    problems.add("noData.afterSeconds must be more than 0, got " + rule.getNoData().getAfterSeconds());
                }
            }
            case CONDITION_NOT_SET -> problems.add("a condition is required: threshold or noData");
        }
        return problems;
    }

    private static void threshold(Rule.Threshold threshold, List<SensorType> types, List<String> problems) {
        if (threshold.getField().isBlank()) {
            problems.add("threshold.field is missing");
        } else {
            requireField("threshold.field", threshold.getField(), types, problems);
        }
        if (threshold.getLevelsCount() == 0) {
            problems.add("threshold.levels needs at least one level");
        }
        for (int i = 0; i < threshold.getLevelsCount(); i++) {
            Rule.Level level = threshold.getLevels(i);
            String at = "threshold.levels[" + i + "]";
            if (level.getSeverity() == Severity.SEVERITY_UNSPECIFIED) {
                problems.add(at + ".severity is missing (INFO, WARNING or CRITICAL)");
            }
            if (!level.hasAtOrBelow() && !level.hasAtOrAbove()) {
                problems.add(at + " needs atOrBelow or atOrAbove");
            }
        }
        if (threshold.getSustainSeconds() < 0) {
            problems.add("threshold.sustainSeconds must not be negative, got " + threshold.getSustainSeconds());
        }
        if (threshold.getMaxGapSeconds() < 0) {
            problems.add("threshold.maxGapSeconds must not be negative, got " + threshold.getMaxGapSeconds());
        }
        if (threshold.hasClearAfterSeconds() && threshold.getClearAfterSeconds() < 0) {
            problems.add("threshold.clearAfterSeconds must not be negative, got " + threshold.getClearAfterSeconds());
        }
        for (String gate : threshold.getOnlyWhenMap().keySet()) {
            requireField("threshold.onlyWhen." + gate, gate, types, problems);
        }
    }

    private static void requireField(String at, String field, List<SensorType> types, List<String> problems) {
        for (SensorType type : types) {
            if (!type.getAllowOtherFields() && type.getFieldsList().stream().noneMatch(f -> f.getName().equals(field))) {
                problems.add(at + " '" + field + "' is not a field of " + type.getName());
            }
        }
    }
}
