package org.gridwatch.console.alert;

import java.util.List;

/**
 * Everything the alert page shows about one alert: where and what, who lives there (as far as the
 * person may see), why it was raised, its readings around the moment, its history and its task.
 */
public record AlertDetail(String id, String severity, String state, String kind, String summary, String deviceId,
                          String sensorType, String opened, String acknowledgedBy, String assignee,
                          String resolvedBy, String resolutionNote, List<String> place, String unitId, String gridId,
                          List<Resident> residents, Evidence evidence, String chartJson, List<HistoryRow> history,
                          Task task, List<Worker> workers, List<String> problems) {

    public boolean resolved() {
        return "RESOLVED".equals(state);
    }

    public boolean acknowledged() {
        return acknowledgedBy != null;
    }

    /** A resident of the unit; name and flags empty when the person may not see them. */
    public record Resident(String id, String displayName, List<String> flags) {
    }

    /** The rule that raised it, its version, and the thresholds in force then. */
    public record Evidence(String ruleId, int ruleVersion, List<String> thresholds, int readings) {
    }

    public record HistoryRow(String time, String type, String actor, String note) {
    }

    /** The alert's task: where it is in its loop, who has it, and when its stage is due. */
    public record Task(String id, String state, String workerId, String due, boolean overdue) {
    }

    /** A worker the task can be given to. */
    public record Worker(String id, String name) {
    }
}
