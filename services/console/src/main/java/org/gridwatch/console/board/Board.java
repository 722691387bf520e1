package org.gridwatch.console.board;

import java.util.List;

/**
 * What the live board shows a person: their area's open alerts, most severe and newest first, the
 * counters, and the area tree with the open alerts under each node. {@code problems} names what
 * could not be read (a service down), so the board says so instead of showing a quiet area.
 */
public record Board(List<BoardAlert> alerts, Counters counters, List<AreaNode> tree, List<String> problems) {

    /** One open or acknowledged alert, as a row of the board. */
    public record BoardAlert(String id, String severity, String state, String kind, String summary, String place,
                             String deviceId, String opened, long openedAtMillis, String acknowledgedBy, String taskId,
                             int repeatCount, boolean silenced) {

        public boolean acknowledged() {
            return acknowledgedBy != null;
        }

        /** Enough of the task's id to tell it from the others on the screen and find it on the tasks page. */
        public String shortTaskId() {
            return taskId == null ? null : taskId.substring(0, Math.min(8, taskId.length()));
        }
    }

    /** The open alerts by severity, overdue tasks, and gateways and devices reported offline. */
    public record Counters(int critical, int warning, int info, int overdueTasks, int offlineGateways,
                           int offlineDevices) {
    }

    /** A node of the area tree, indented by its depth, with the alerts open under it. */
    public record AreaNode(String id, String name, String level, int depth, int open, int critical) {
    }
}
