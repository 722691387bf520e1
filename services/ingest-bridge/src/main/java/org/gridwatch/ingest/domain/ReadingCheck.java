package org.gridwatch.ingest.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.v1.SensorType;

/** Checks a reading's values against its sensor type: known fields, required fields, valid ranges. */
final class ReadingCheck {

    private ReadingCheck() {
    }

    static void check(SensorType type, Map<String, Double> values) throws PayloadException {
        Map<String, SensorType.Field> fields = type.getFieldsList().stream()
                .collect(Collectors.toMap(SensorType.Field::getName, f -> f, (a, b) -> a, LinkedHashMap::new));
        for (Map.Entry<String, Double> value : values.entrySet()) {
            if (!Double.isFinite(value.getValue())) {
                // Not a number, or infinite, is never a reading, whatever the field's bounds (or if it has none).
                throw new PayloadException(RejectReason.OUT_OF_RANGE, "'" + value.getKey() + "' is " + value.getValue()
                        + ": a reading's values are finite numbers");
            }
            SensorType.Field field = fields.get(value.getKey());
            if (field == null) {
                if (type.getAllowOtherFields()) {
                    continue;
                }
                throw new PayloadException(RejectReason.FIELD_MISMATCH, "'" + value.getKey() + "' is not a field of "
                        + type.getName() + " (its fields: " + String.join(", ", fields.keySet()) + ")");
            }
            double v = value.getValue();
            if ((field.hasMin() && v < field.getMin()) || (field.hasMax() && v > field.getMax())) {
                throw new PayloadException(RejectReason.OUT_OF_RANGE, field.getName() + " " + format(v) + " "
                        + field.getUnit() + " is outside its valid range " + range(field) + " for " + type.getName());
            }
            if (field.getInteger() && v != Math.rint(v)) {
                throw new PayloadException(RejectReason.OUT_OF_RANGE, field.getName() + " " + format(v)
                        + " must be a whole number for " + type.getName());
            }
        }
        for (SensorType.Field field : type.getFieldsList()) {
            if (field.getRequired() && !values.containsKey(field.getName())) {
                throw new PayloadException(RejectReason.FIELD_MISMATCH, type.getName() + " readings need "
                        + field.getName());
            }
        }
    }

    private static String range(SensorType.Field field) {
        return (field.hasMin() ? format(field.getMin()) : "-inf") + ".." + (field.hasMax() ? format(field.getMax()) : "inf");
    }

    private static String format(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
