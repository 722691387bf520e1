package org.gridwatch.dispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.outbox.Outbox;

/** How a task row is read, and how a change of a task becomes a task event in its history and the outbox. */
final class TaskRows {

    static final String COLUMNS = "task_id, alert_id, channel, kind, severity, state, worker_id, district_id, "
            + "street_id, community_id, grid_id, building_id, unit_id, latitude, longitude, subject_id, summary, skill, "
            + "deadline_id, reported_by, assignment_reason, reason, resolved_by, resolution_note, photo_type, "
            + "verified_by, due_at, overdue_since, escalation_level, escalated_to, escalations, created_at, "
            + "updated_at, stage_started_at";

    private TaskRows() {
    }

    /** {@link #COLUMNS} of a table under an alias, for joins. */
    static String columnsOf(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    static Optional<Task> find(Connection connection, UUID taskId, boolean lock) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM dispatch.task WHERE task_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            query.setObject(1, taskId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(toTask(row)) : Optional.empty();
            }
        }
    }

    static Task toTask(ResultSet row) throws SQLException {
        return new Task(row.getObject("task_id", UUID.class), row.getString("alert_id"), row.getString("channel"),
                row.getString("kind"), Severity.forNumber(row.getShort("severity")).name(), row.getString("state"),
                row.getString("worker_id"),
                new Task.Place(row.getString("district_id"), row.getString("street_id"), row.getString("community_id"),
                        row.getString("grid_id"), row.getString("building_id"), row.getString("unit_id")),
                row.getObject("latitude", Double.class), row.getObject("longitude", Double.class),
                row.getString("subject_id"), row.getString("summary"), row.getString("skill"),
                row.getString("deadline_id"), row.getString("reported_by"), row.getString("assignment_reason"),
                row.getString("reason"), row.getString("resolved_by"), row.getString("resolution_note"),
                row.getString("photo_type"), row.getString("verified_by"), instant(row, "due_at"),
                instant(row, "overdue_since"), row.getString("escalation_level"), row.getString("escalated_to"),
                row.getInt("escalations"), instant(row, "created_at"), instant(row, "updated_at"),
                instant(row, "stage_started_at"));
    }

    /** What an event adds to the task's state: who did it, where, what they wrote, the request it answers. */
    record Step(TaskEvent.Type type, String actor, String note, Double latitude, Double longitude, String requestId) {

        static Step by(TaskEvent.Type type, String actor, String note) {
            return new Step(type, actor, note, null, null, null);
        }
    }

    /** How long the stage an event ends took, and whether it ended by the stage's first deadline. */
    record StageTime(String stage, Duration took, boolean onTime) {
    }

    /** Writes the event of a change (the task as it is after it) to the task's history and the outbox. */
    static TaskEvent record(Connection connection, Outbox outbox, Task task, Step step, Instant at)
            throws SQLException {
        return record(connection, outbox, task, step, at, null);
    }

    /** As {@link #record(Connection, Outbox, Task, Step, Instant)}, for an event that ends a stage. */
    static TaskEvent record(Connection connection, Outbox outbox, Task task, Step step, Instant at,
                            StageTime stageTime) throws SQLException {
        TaskEvent.Builder event = TaskEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setType(step.type()).setTaskId(task.taskId().toString()).setAlertId(nullToEmpty(task.alertId()))
                .setState(TaskEvent.State.valueOf("STATE_" + task.state())).setWorkerId(nullToEmpty(task.workerId()))
                .setLocation(locationOf(task.place())).setKind(task.kind()).setSeverity(Severity.valueOf(task.severity()))
                .setOccurredAt(Timestamps.of(at)).setActor(step.actor()).setChannel(task.channel())
                .setReason(step.type() == TaskEvent.Type.TYPE_ASSIGNED || step.type() == TaskEvent.Type.TYPE_CREATED
                        ? nullToEmpty(task.assignmentReason()) : nullToEmpty(step.note()))
                .setNote(nullToEmpty(step.note())).setSubjectId(nullToEmpty(task.subjectId()))
                .setSummary(nullToEmpty(task.summary()));
        if (step.latitude() != null && step.longitude() != null) {
            event.setLatitude(step.latitude()).setLongitude(step.longitude());
        }
        if (step.type() == TaskEvent.Type.TYPE_ESCALATED) {
            event.setEscalationLevel(nullToEmpty(task.escalationLevel())).setEscalatedTo(nullToEmpty(task.escalatedTo()));
        }
        if (task.dueAt() != null) {
            event.setDueAt(Timestamps.of(task.dueAt()));
        }
        if (stageTime != null) {
            event.setStage(stageTime.stage()).setStageSeconds(stageTime.took().toNanos() / 1e9)
                    .setStageOnTime(stageTime.onTime());
        }
        TaskEvent built = event.build();
        journal(connection);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO dispatch.task_history (event_id, task_id, type, actor, occurred_at, state, worker_id,
                    latitude, longitude, note, request_id, stage, stage_seconds, on_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, UUID.fromString(built.getEventId()));
            insert.setObject(2, task.taskId());
            insert.setString(3, step.type().name().substring("TYPE_".length()));
            insert.setString(4, step.actor());
            insert.setTimestamp(5, Timestamp.from(at));
            insert.setString(6, task.state());
            insert.setString(7, task.workerId());
            insert.setObject(8, step.latitude());
            insert.setObject(9, step.longitude());
            insert.setString(10, step.note());
            insert.setString(11, step.requestId());
            insert.setString(12, stageTime == null ? null : stageTime.stage());
            insert.setObject(13, stageTime == null ? null : stageTime.took().toNanos() / 1e9);
            insert.setObject(14, stageTime == null ? null : stageTime.onTime());
            insert.executeUpdate();
        }
        outbox.add(connection, Topics.TASK_EVENTS, built.getTaskId(), built.toByteArray());
        return built;
    }

    /**
     * Task events are written one transaction at a time, from here to commit, so that their
     * positions in the history ({@code seq}) are in commit order: a reader that has read up to a
     * position never sees an earlier one commit later (the phones' live feed relies on it). Tasks
     * change a few times a minute per grid, so the wait is short. Also notifies the commit channel.
     */
    private static void journal(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended('gridwatch.task-journal', 0)), pg_notify(?, '')")) {
            lock.setString(1, TaskStore.COMMIT_CHANNEL);
            lock.execute();
        }
    }

    static Location locationOf(Task.Place p) {
        return Location.newBuilder().setDistrictId(nullToEmpty(p.districtId())).setStreetId(nullToEmpty(p.streetId()))
                .setCommunityId(nullToEmpty(p.communityId())).setGridId(nullToEmpty(p.gridId()))
                .setBuildingId(nullToEmpty(p.buildingId())).setUnitId(nullToEmpty(p.unitId())).build();
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
