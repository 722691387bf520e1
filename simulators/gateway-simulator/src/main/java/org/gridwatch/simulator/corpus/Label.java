package org.gridwatch.simulator.corpus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ground truth of a corpus. An {@code INCIDENT} is a real problem the rule must raise on the
 * subject (a device, or a gateway for D1) between start and end. A {@code CONFOUNDER} is a
 * normal event known to trap rules (cooking smoke); the rule may raise on it at most at
 * {@code allowedSeverity} (empty: not at all) without it counting as a false alarm.
 */
public record Label(Type type, String ruleId, String subjectId, Instant start, Instant end, String allowedSeverity,
                    String note) {

    public enum Type { INCIDENT, CONFOUNDER }

    static final String HEADER = "type,rule,subject,start,end,allowed_severity,note";

    String toCsv() {
        return String.join(",", type.name(), ruleId, subjectId, start.toString(), end.toString(), allowedSeverity,
                '"' + note.replace("\"", "'") + '"');
    }

    public static List<Label> parseCsv(List<String> lines) {
        List<Label> labels = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("type,")) {
                continue;
            }
            String[] cells = line.split(",", 7);
            String note = cells[6].length() >= 2 ? cells[6].substring(1, cells[6].length() - 1) : cells[6];
            labels.add(new Label(Type.valueOf(cells[0]), cells[1], cells[2], Instant.parse(cells[3]),
                    Instant.parse(cells[4]), cells[5], note));
        }
        return labels;
    }
}
