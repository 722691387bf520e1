package org.gridwatch.registry.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.gridwatch.contract.v1.SensorType;

/** Checks a sensor-type definition and names the field of every mistake, for integrators. */
public final class SensorTypeValidation {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private SensorTypeValidation() {
    }

    public static List<String> problems(SensorType type) {
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(type.getName()).matches()) {
            problems.add("name '" + type.getName() + "' must be lower-case letters, digits and '-', starting with a letter");
        }
        if (type.getFieldsCount() == 0 && !type.getAllowOtherFields()) {
            problems.add("fields: a type needs at least one field (or allowOtherFields)");
        }
        if (type.getSamplingIntervalSeconds() < 0) {
            problems.add("samplingIntervalSeconds must not be negative, got " + type.getSamplingIntervalSeconds());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < type.getFieldsCount(); i++) {
            SensorType.Field field = type.getFields(i);
            String at = "fields[" + i + "]";
            if (!FIELD.matcher(field.getName()).matches()) {
                problems.add(at + ".name '" + field.getName() + "' must be a letter followed by letters, digits or '_'");
            } else if (!names.add(field.getName())) {
                problems.add(at + ".name '" + field.getName() + "' is used twice");
            }
            if (field.hasMin() && field.hasMax() && field.getMin() > field.getMax()) {
                problems.add(at + ".min " + field.getMin() + " is above " + at + ".max " + field.getMax());
            }
            if (Double.isNaN(field.getMin()) || Double.isNaN(field.getMax())) {
                problems.add(at + ": min and max must be numbers");
            }
        }
        return problems;
    }
}
