package org.gridwatch.dispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.WorkerChoice;
import org.gridwatch.outbox.Outbox;
import org.gridwatch.registryview.RegistryState;

/** Tasks in PostgreSQL; every change writes its task events to the outbox in the same transaction. */
@ApplicationScoped
public class TaskStore {

    public static final String SCHEMA = "dispatch";
    static final String ACTOR = "system:grid-dispatch";
    private static final String COLUMNS = "task_id, alert_id, channel, kind, severity, state, worker_id, district_id, "
            + "street_id, community_id, grid_id, building_id, unit_id, subject_id, summary, assignment_reason, "
            + "created_at, updated_at";

    private final Outbox outbox = new Outbox(SCHEMA);
    private final Clock clock = Clock.systemUTC();

    @Inject
    DataSource dataSource;

    public Outbox outbox() {
        return outbox;
    }

    /**
     * Creates the task for a newly opened alert and assigns it. Returns the events written, none
     * when the alert already has its task (a redelivered event).
     */
    @Transactional
    public List<TaskEvent> createForAlert(AlertEvent alert, RegistryState registry) throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            UUID taskId = UUID.randomUUID();
            Location place = alert.getLocation();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO dispatch.task (task_id, alert_id, channel, kind, severity, state, district_id, street_id,
                        community_id, grid_id, building_id, unit_id, subject_id, summary, created_at, updated_at)
                    VALUES (?, ?, 'alert', ?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (alert_id) WHERE alert_id IS NOT NULL DO NOTHING""")) {
                int i = 0;
                insert.setObject(++i, taskId);
                insert.setString(++i, alert.getAlertId());
                insert.setString(++i, alert.getKind());
                insert.setShort(++i, (short) Math.max(alert.getSeverityValue(), Severity.INFO_VALUE));
                insert.setString(++i, emptyToNull(place.getDistrictId()));
                insert.setString(++i, emptyToNull(place.getStreetId()));
                insert.setString(++i, emptyToNull(place.getCommunityId()));
                insert.setString(++i, emptyToNull(place.getGridId()));
                insert.setString(++i, emptyToNull(place.getBuildingId()));
                insert.setString(++i, emptyToNull(place.getUnitId()));
                insert.setString(++i, alert.getSubjectId());
                insert.setString(++i, alert.getSummary());
                insert.setTimestamp(++i, Timestamp.from(now));
                insert.setTimestamp(++i, Timestamp.from(now));
                if (insert.executeUpdate() == 0) {
                    return List.of();
                }
            }
            List<TaskEvent> events = new ArrayList<>();
            events.add(event(TaskEvent.Type.TYPE_CREATED, TaskEvent.State.STATE_CREATED, taskId, alert, "", now,
                    "from alert " + alert.getAlertId()));

            // Lock out concurrent assignments so that two new tasks do not both pick the same idle worker.
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "assign:" + place.getGridId());
                lock.execute();
            }
            WorkerChoice.Decision decision = WorkerChoice.choose(registry, place.getGridId(), openTasks(connection), now);
            if (decision.worker().isPresent()) {
                Worker worker = decision.worker().get();
                try (PreparedStatement assign = connection.prepareStatement("""
                        UPDATE dispatch.task SET state = 'ASSIGNED', worker_id = ?, assignment_reason = ?, updated_at = ?
                        WHERE task_id = ?""")) {
                    assign.setString(1, worker.getId());
                    assign.setString(2, decision.reason());
                    assign.setTimestamp(3, Timestamp.from(now));
                    assign.setObject(4, taskId);
                    assign.executeUpdate();
                }
                events.add(event(TaskEvent.Type.TYPE_ASSIGNED, TaskEvent.State.STATE_ASSIGNED, taskId, alert,
                        worker.getId(), now, decision.reason()));
            } else {
                try (PreparedStatement note = connection.prepareStatement(
                        "UPDATE dispatch.task SET assignment_reason = ? WHERE task_id = ?")) {
                    note.setString(1, decision.reason());
                    note.setObject(2, taskId);
                    note.executeUpdate();
                }
            }
            for (TaskEvent event : events) {
                outbox.add(connection, Topics.TASK_EVENTS, event.getTaskId(), event.toByteArray());
            }
            return events;
        }
    }

    private static Map<String, Integer> openTasks(Connection connection) throws SQLException {
        Map<String, Integer> load = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT worker_id, count(*) FROM dispatch.task
                WHERE worker_id IS NOT NULL AND state IN ('ASSIGNED', 'ACCEPTED', 'ON_SITE')
                GROUP BY worker_id""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                load.put(rows.getString(1), rows.getInt(2));
            }
        }
        return load;
    }

    public List<Task> list(String alertId, String workerId, String state, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM dispatch.task WHERE true");
        List<Object> args = new ArrayList<>();
        if (alertId != null) {
            sql.append(" AND alert_id = ?");
            args.add(alertId);
        }
        if (workerId != null) {
            sql.append(" AND worker_id = ?");
            args.add(workerId);
        }
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        sql.append(" ORDER BY created_at DESC LIMIT ?");
        args.add(limit);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                query.setObject(i + 1, args.get(i));
            }
            List<Task> tasks = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tasks.add(toTask(rows));
                }
            }
            return tasks;
        }
    }

    public Optional<Task> get(UUID taskId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM dispatch.task WHERE task_id = ?")) {
            query.setObject(1, taskId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(toTask(row)) : Optional.empty();
            }
        }
    }

    private static Task toTask(ResultSet row) throws SQLException {
        return new Task(row.getObject("task_id", UUID.class), row.getString("alert_id"), row.getString("channel"),
                row.getString("kind"), Severity.forNumber(row.getShort("severity")).name(), row.getString("state"),
                row.getString("worker_id"),
                new Task.Place(row.getString("district_id"), row.getString("street_id"), row.getString("community_id"),
                        row.getString("grid_id"), row.getString("building_id"), row.getString("unit_id")),
                row.getString("subject_id"), row.getString("summary"), row.getString("assignment_reason"),
                row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
    }

    private static TaskEvent event(TaskEvent.Type type, TaskEvent.State state, UUID taskId, AlertEvent alert,
                                   String workerId, Instant at, String reason) {
        return TaskEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(type)
                .setTaskId(taskId.toString()).setAlertId(alert.getAlertId()).setState(state).setWorkerId(workerId)
                .setLocation(alert.getLocation()).setKind(alert.getKind()).setSeverity(alert.getSeverity())
                .setOccurredAt(Timestamps.of(at)).setActor(ACTOR).setReason(reason).setChannel("alert").build();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
