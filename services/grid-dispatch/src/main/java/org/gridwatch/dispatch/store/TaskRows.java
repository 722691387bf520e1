package org.gridwatch.dispatch.store;

import static org.gridwatch.plumbing.sql.Rows.instant;
import static org.gridwatch.plumbing.sql.Rows.nullToEmpty;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.dispatch.domain.Deadline;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** How a task row is read and how a task enters a state: shared by everything that reads or changes tasks. */
final class TaskRows {

    static final String COLUMNS = "task_id, alert_id, channel, kind, severity, state, worker_id, district_id, "
            + "street_id, community_id, grid_id, building_id, unit_id, latitude, longitude, subject_id, summary, skill, "
            + "deadline_id, reported_by, assignment_reason, reason, resolved_by, resolution_note, photo_type, "
            + "verified_by, due_at, overdue_since, escalation_level, escalated_to, escalations, created_at, "
            + "updated_at, stage_started_at";

    /** A row of {@link #COLUMNS} as a task, for Jdbi. */
    static final RowMapper<Task> TASK = (row, context) -> toTask(row);

    private TaskRows() {
    }

    /** {@link #COLUMNS} of a table under an alias, for joins. */
    static String columnsOf(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    /** The task, locked to the end of the transaction when {@code lock}. */
    static Optional<Task> find(Handle handle, UUID taskId, boolean lock) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM dispatch.task WHERE task_id = :id"
                        + (lock ? " FOR UPDATE" : ""))
                .bind("id", taskId).map(TASK).findOne();
    }

    /** The task as it is now, which must exist (the caller holds it). */
    static Task current(Handle handle, UUID taskId) {
        return find(handle, taskId, false).orElseThrow(() -> new IllegalStateException("Task " + taskId + " vanished"));
    }

    /**
     * The task enters a state: its stage starts now with the state's deadline, and it is no
     * longer overdue. Returns the task as it now is.
     */
    static Task enter(Handle handle, UUID taskId, TaskState state, Deadline deadline, Instant now) {
        Duration window = deadline.window(state);
        return handle.createQuery("""
                        UPDATE dispatch.task SET state = :state, stage_started_at = :now, updated_at = :now,
                            due_at = :dueAt, overdue_since = NULL
                        WHERE task_id = :id RETURNING %s""".formatted(COLUMNS))
                .bind("state", state.name()).bind("now", now).bind("dueAt", window == null ? null : now.plus(window))
                .bind("id", taskId).map(TASK).one();
    }

    static Task toTask(ResultSet row) throws SQLException {
        return new Task(row.getObject("task_id", UUID.class), row.getString("alert_id"), row.getString("channel"),
                row.getString("kind"), Severity.forNumber(row.getShort("severity")).name(),
                TaskState.valueOf(row.getString("state")), row.getString("worker_id"),
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

    static Location locationOf(Task.Place p) {
        return Location.newBuilder().setDistrictId(nullToEmpty(p.districtId())).setStreetId(nullToEmpty(p.streetId()))
                .setCommunityId(nullToEmpty(p.communityId())).setGridId(nullToEmpty(p.gridId()))
                .setBuildingId(nullToEmpty(p.buildingId())).setUnitId(nullToEmpty(p.unitId())).build();
    }



}
