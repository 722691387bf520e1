package org.gridwatch.dispatch.domain;

import java.time.Duration;

/**
 * Time limits for one kind of task, as a row of the configurable deadline table: how long the
 * worker has to accept, to arrive, to resolve, and the verifier to verify; and the skill the kind
 * calls for. The first row by priority whose pattern and minimum severity match applies.
 */
public record Deadline(String deadlineId, int priority, String kindPattern, int minSeverity, String skill,
                       int acceptSeconds, int arriveSeconds, int resolveSeconds, int verifySeconds) {

    /** An exact kind, a prefix ending in ".*" ("fire.*" matches "fire.smoke"), or "*". */
    public boolean matches(String kind, int severity) {
        if (severity < minSeverity) {
            return false;
        }
        if (kindPattern.equals("*")) {
            return true;
        }
        if (kindPattern.endsWith(".*")) {
            return kind.startsWith(kindPattern.substring(0, kindPattern.length() - 1));
        }
        return kind.equals(kindPattern);
    }

    /** How long a task may stay in the state before its deadline passes; null for states without one. */
    public Duration window(TaskState state) {
        return switch (state) {
            case CREATED, ASSIGNED -> Duration.ofSeconds(acceptSeconds);
            case ACCEPTED -> Duration.ofSeconds(arriveSeconds);
            case ON_SITE -> Duration.ofSeconds(resolveSeconds);
            case RESOLVED -> Duration.ofSeconds(verifySeconds);
            default -> null;
        };
    }

    /** The stage a state is timed for, as the overdue list and the figures name it. */
    public static String stage(TaskState state) {
        return switch (state) {
            case CREATED, ASSIGNED -> "accept";
            case ACCEPTED -> "arrive";
            case ON_SITE -> "resolve";
            case RESOLVED -> "verify";
            default -> "";
        };
    }

    /** A refusal of a deadline row, with the reason. */
    public String problem() {
        if (deadlineId == null || deadlineId.isBlank()) {
            return "a deadline needs an id";
        }
        if (kindPattern == null || !(kindPattern.equals("*") || kindPattern.matches("[a-z0-9-]+(\\.[a-z0-9-]+)*(\\.\\*)?"))) {
            return "kindPattern must be a kind, a prefix ending in .* or *, got '" + kindPattern + "'";
        }
        if (minSeverity < 1 || minSeverity > 3) {
            return "minSeverity must be 1 (info), 2 (warning) or 3 (critical), got " + minSeverity;
        }
        if (acceptSeconds <= 0 || arriveSeconds <= 0 || resolveSeconds <= 0 || verifySeconds <= 0) {
            return "every time limit must be more than 0 seconds";
        }
        return null;
    }
}
