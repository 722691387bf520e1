package org.gridwatch.registryview;

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
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
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
            case NO_ACTIVITY -> {
                Rule.NoActivity condition = rule.getNoActivity();
                if (condition.getField().isBlank()) {
                    problems.add("noActivity.field is missing");
                } else {
                    requireField("noActivity.field", condition.getField(), types, problems);
                }
                // With active hours the window itself is the time allowed (I4: no motion 06:00-12:00).
                if (condition.getAfterSeconds() <= 0 && !rule.hasActiveHours()) {
                    problems.add("noActivity.afterSeconds must be more than 0 (or set activeHours), got "
                            + condition.getAfterSeconds());
                }
            }
            case PATTERN -> pattern(rule.getPattern(), types, problems);
            case CONFIRMED -> {
                Rule.Confirmed confirmed = rule.getConfirmed();
                if (rule.getSensorTypesCount() == 0) {
                    problems.add("sensorTypes must name the primary sensor types of a confirmed rule");
                }
                check("confirmed.primary", confirmed.getPrimary(), types, problems);
                if (confirmed.getConfirmingSensorTypesCount() == 0) {
                    problems.add("confirmed.confirmingSensorTypes needs at least one sensor type");
                }
                if (confirmed.getConfirmingAnyOfCount() == 0) {
                    problems.add("confirmed.confirmingAnyOf needs at least one check");
                }
                if (confirmed.getWithinSeconds() <= 0) {
                    problems.add("confirmed.withinSeconds must be more than 0, got " + confirmed.getWithinSeconds());
                }
                if (!confirmed.getScope().isEmpty() && !List.of("unit", "building").contains(confirmed.getScope())) {
                    problems.add("confirmed.scope must be unit or building, got '" + confirmed.getScope() + "'");
                }
            }
            case GATEWAY_OFFLINE -> {
                if (rule.getSensorTypesCount() > 0 || rule.getPower() != org.gridwatch.contract.v1.Device.Power.POWER_UNSPECIFIED) {
                    problems.add("gatewayOffline rules are scoped by areaIds only, not sensorTypes or power");
                }
            }
            case RATE_OF_CHANGE -> {
                Rule.RateOfChange rate = rule.getRateOfChange();
                field("rateOfChange.field", rate.getField(), types, problems);
                if (rate.getWindowSeconds() <= 0) {
                    problems.add("rateOfChange.windowSeconds must be more than 0, got " + rate.getWindowSeconds());
                }
                levels("rateOfChange.levels", rate.getLevelsList(), problems);
            }
            case REPEATED -> {
                Rule.Repeated repeated = rule.getRepeated();
                field("repeated.field", repeated.getField(), types, problems);
                if (repeated.getCount() < 2) {
                    problems.add("repeated.count must be 2 or more, got " + repeated.getCount());
                }
                if (repeated.getWindowSeconds() <= 0) {
                    problems.add("repeated.windowSeconds must be more than 0, got " + repeated.getWindowSeconds());
                }
            }
            case CONDITION_NOT_SET -> problems.add(
                    "a condition is required: threshold, pattern, rateOfChange, repeated, confirmed, noData, noActivity"
                            + " or gatewayOffline");
        }
        for (int i = 0; i < rule.getOverridesCount(); i++) {
            Rule.Override override = rule.getOverrides(i);
            String at = "overrides[" + i + "]";
            if (!rule.hasThreshold()) {
                problems.add(at + ": overrides apply to threshold rules only");
            }
            if (override.getDeviceIdsCount() == 0 && override.getAreaIdsCount() == 0) {
                problems.add(at + " needs deviceIds or areaIds");
            }
            if (override.getLevelsCount() > 0) {
                levels(at + ".levels", override.getLevelsList(), problems);
            }
            if (override.hasSustainSeconds() && override.getSustainSeconds() < 0) {
                problems.add(at + ".sustainSeconds must not be negative, got " + override.getSustainSeconds());
            }
        }
        if (rule.hasActiveHours()) {
            for (String[] time : new String[][] {{"activeHours.start", rule.getActiveHours().getStart()},
                    {"activeHours.end", rule.getActiveHours().getEnd()}}) {
                if (!TIME.matcher(time[1]).matches()) {
                    problems.add(time[0] + " '" + time[1] + "' must be a local time HH:MM");
                }
            }
        }
        return problems;
    }

    private static void pattern(Rule.Pattern pattern, List<SensorType> types, List<String> problems) {
        if (pattern.getAllOfCount() == 0) {
            problems.add("pattern.allOf needs at least one check");
        }
        checks("pattern.allOf", pattern.getAllOfList(), types, problems);
        checks("pattern.previousAllOf", pattern.getPreviousAllOfList(), types, problems);
        checks("pattern.clearWhen", pattern.getClearWhenList(), types, problems);
        if (pattern.getSustainSeconds() < 0) {
            problems.add("pattern.sustainSeconds must not be negative, got " + pattern.getSustainSeconds());
        }
        if (pattern.getConsecutiveSamples() < 0) {
            problems.add("pattern.consecutiveSamples must not be negative, got " + pattern.getConsecutiveSamples());
        }
        for (String gate : pattern.getOnlyWhenMap().keySet()) {
            requireField("pattern.onlyWhen." + gate, gate, types, problems);
        }
    }

    private static void checks(String at, List<Rule.Check> checks, List<SensorType> types, List<String> problems) {
        for (int i = 0; i < checks.size(); i++) {
            check(at + "[" + i + "]", checks.get(i), types, problems);
        }
    }

    private static void check(String where, Rule.Check check, List<SensorType> types, List<String> problems) {
        if (check.getField().isBlank()) {
            problems.add(where + ".field is missing");
        } else {
            requireField(where + ".field", check.getField(), types, problems);
        }
        if (!check.hasAtOrBelow() && !check.hasAtOrAbove() && !check.hasEquals()
                && check.getAtOrBelowProperty().isEmpty() && check.getAtOrAboveProperty().isEmpty()) {
            problems.add(where + " needs equals, atOrBelow, atOrAbove, atOrBelowProperty or atOrAboveProperty");
        }
    }

    private static void threshold(Rule.Threshold threshold, List<SensorType> types, List<String> problems) {
        if (threshold.getField().isBlank()) {
            problems.add("threshold.field is missing");
        } else {
            requireField("threshold.field", threshold.getField(), types, problems);
        }
        levels("threshold.levels", threshold.getLevelsList(), problems);
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
        for (int i = 0; i < threshold.getAlsoFieldsCount(); i++) {
            requireField("threshold.alsoFields[" + i + "]", threshold.getAlsoFields(i), types, problems);
        }
        if (threshold.hasArmedBy()) {
            check("threshold.armedBy", threshold.getArmedBy(), types, problems);
        }
    }

    private static void levels(String at, List<Rule.Level> levels, List<String> problems) {
        if (levels.isEmpty()) {
            problems.add(at + " needs at least one level");
        }
        for (int i = 0; i < levels.size(); i++) {
            Rule.Level level = levels.get(i);
            if (level.getSeverity() == Severity.SEVERITY_UNSPECIFIED) {
                problems.add(at + "[" + i + "].severity is missing (INFO, WARNING or CRITICAL)");
            }
            if (!level.hasAtOrBelow() && !level.hasAtOrAbove()) {
                problems.add(at + "[" + i + "] needs atOrBelow or atOrAbove");
            }
        }
    }

    private static void field(String at, String field, List<SensorType> types, List<String> problems) {
        if (field.isBlank()) {
            problems.add(at + " is missing");
        } else {
            requireField(at, field, types, problems);
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
