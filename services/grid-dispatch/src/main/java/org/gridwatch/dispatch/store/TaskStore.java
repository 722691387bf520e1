package org.gridwatch.dispatch.store;

import static org.gridwatch.dispatch.store.TaskRows.COLUMNS;
import static org.gridwatch.dispatch.store.TaskRows.emptyToNull;
import static org.gridwatch.dispatch.store.TaskRows.find;
import static org.gridwatch.dispatch.store.TaskRows.timestamp;
import static org.gridwatch.dispatch.store.TaskRows.toTask;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.dispatch.domain.Deadline;
import org.gridwatch.dispatch.domain.EscalationLevel;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskAction;
import org.gridwatch.dispatch.domain.WorkerChoice;
import org.gridwatch.dispatch.store.TaskRows.Step;
import org.gridwatch.outbox.Outbox;
import org.gridwatch.registryview.RegistryState;

/**
 * Tasks in PostgreSQL, through their whole loop: created (from an alert or reported through a
 * channel) and assigned, accepted, on site, resolved, verified by someone else and closed, with
 * declines, cancellations, failed verifications and a backlog; deadlines that escalate. Every
 * change locks the task row, checks that it is allowed, and writes its task events to the
 * history and the outbox in the same transaction.
 */
@ApplicationScoped
public class TaskStore {

    public static final String SCHEMA = "dispatch";
    static final String ACTOR = "system:grid-dispatch";
    /**
     * Notified when a transaction that wrote task events commits: wakes the outbox relay and the
     * phones' live feed on every replica.
     */
    public static final String COMMIT_CHANNEL = "gridwatch_task_commits";

    private final Outbox outbox = new Outbox(SCHEMA);
    private final Clock clock = Clock.systemUTC();

    @Inject
    DataSource dataSource;

    public Outbox outbox() {
        return outbox;
    }

    // ---- creating tasks ---------------------------------------------------------------------

    /** A problem reported through a channel other than an alert: the hotline, a patrol, a resident, an operator. */
    public record Report(String channel, String kind, Severity severity, String areaId, String summary,
                         Double latitude, Double longitude, String reportedBy) {
    }

    /**
     * Creates the task for an alert that asks for one and assigns it. Returns the events written,
     * none when the alert already has its task (a redelivered event).
     */
    @Transactional
    public List<TaskEvent> createForAlert(AlertEvent alert, RegistryState registry) throws SQLException {
        Location place = alert.getLocation();
        String area = !place.getUnitId().isEmpty() ? place.getUnitId() : place.getBuildingId();
        double[] position = registry.positionOf(area).orElse(null);
        return create(new NewTask(alert.getAlertId(), "alert", alert.getKind(), alert.getSeverity(), place,
                position, alert.getSubjectId(), alert.getSummary(), null), registry, "from alert " + alert.getAlertId())
                .map(Created::events).orElse(List.of());
    }

    /** Creates a task from a report and assigns it; the task follows the same loop as one from an alert. */
    @Transactional
    public Created report(Report report, RegistryState registry) throws SQLException {
        Location place = registry.locate(report.areaId());
        double[] position = report.latitude() != null && report.longitude() != null
                ? new double[] {report.latitude(), report.longitude()}
                : registry.positionOf(report.areaId()).orElse(null);
        return create(new NewTask(null, report.channel(), report.kind(), report.severity(), place, position,
                report.areaId(), report.summary(), report.reportedBy()), registry,
                "reported through " + report.channel() + " by " + report.reportedBy()).orElseThrow();
    }

    /** A task just made, with the events it caused (created, and assigned when somebody was found). */
    public record Created(Task task, List<TaskEvent> events) {
    }

    private record NewTask(String alertId, String channel, String kind, Severity severity, Location place,
                           double[] position, String subjectId, String summary, String reportedBy) {
    }

    private Optional<Created> create(NewTask spec, RegistryState registry, String note) throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            int severity = Math.max(spec.severity().getNumber(), Severity.INFO_VALUE);
            Deadline deadline = deadlineFor(connection, spec.kind(), severity);
            UUID taskId = UUID.randomUUID();
            Location place = spec.place();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO dispatch.task (task_id, alert_id, channel, kind, severity, state, district_id, street_id,
                        community_id, grid_id, building_id, unit_id, subject_id, summary, created_at, updated_at,
                        stage_started_at, skill, deadline_id, latitude, longitude, reported_by, due_at)
                    VALUES (?, ?, ?, ?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (alert_id) WHERE alert_id IS NOT NULL DO NOTHING""")) {
                int i = 0;
                insert.setObject(++i, taskId);
                insert.setString(++i, spec.alertId());
                insert.setString(++i, spec.channel());
                insert.setString(++i, spec.kind());
                insert.setShort(++i, (short) severity);
                insert.setString(++i, emptyToNull(place.getDistrictId()));
                insert.setString(++i, emptyToNull(place.getStreetId()));
                insert.setString(++i, emptyToNull(place.getCommunityId()));
                insert.setString(++i, emptyToNull(place.getGridId()));
                insert.setString(++i, emptyToNull(place.getBuildingId()));
                insert.setString(++i, emptyToNull(place.getUnitId()));
                insert.setString(++i, spec.subjectId());
                insert.setString(++i, spec.summary());
                insert.setTimestamp(++i, Timestamp.from(now));
                insert.setTimestamp(++i, Timestamp.from(now));
                insert.setTimestamp(++i, Timestamp.from(now));
                insert.setString(++i, deadline.skill());
                insert.setString(++i, deadline.deadlineId());
                insert.setObject(++i, spec.position() == null ? null : spec.position()[0]);
                insert.setObject(++i, spec.position() == null ? null : spec.position()[1]);
                insert.setString(++i, spec.reportedBy());
                insert.setTimestamp(++i, Timestamp.from(now.plus(deadline.window("CREATED"))));
                if (insert.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            List<TaskEvent> events = new ArrayList<>();
            Task task = find(connection, taskId, true).orElseThrow();
            events.add(TaskRows.record(connection, outbox, task, Step.by(TaskEvent.Type.TYPE_CREATED, ACTOR, note), now));
            events.addAll(assign(connection, task, registry, deadline, now));
            return Optional.of(new Created(find(connection, taskId, false).orElseThrow(), events));
        }
    }

    // ---- assignment -------------------------------------------------------------------------

    /**
     * Gives the task to the best available worker (none of those who declined it or let it time
     * out), or leaves it waiting unassigned with the reason; its accept deadline starts now.
     */
    private List<TaskEvent> assign(Connection connection, Task task, RegistryState registry, Deadline deadline,
                                   Instant now) throws SQLException {
        double[] position = task.latitude() == null ? null : new double[] {task.latitude(), task.longitude()};
        WorkerChoice.Decision decision = decide(connection, task.taskId(), task.place().gridId(), task.skill(), position,
                registry, now);
        if (decision.worker().isEmpty()) {
            update(connection, task.taskId(), "state = 'CREATED', worker_id = NULL, assignment_reason = ?",
                    decision.reason());
            enter(connection, task.taskId(), "CREATED", deadline, now);
            return List.of();
        }
        return List.of(giveTo(connection, task.taskId(), decision.worker().get().getId(), decision.reason(), deadline,
                now, Step.by(TaskEvent.Type.TYPE_ASSIGNED, ACTOR, decision.reason())));
    }

    /**
     * The assignment decision (measured by the dispatch benchmark): who, of the workers not
     * excluded from the task, gets it. Decisions in a grid are serialized until the transaction
     * ends, so that two tasks do not both pick the same idle worker.
     */
    static WorkerChoice.Decision decide(Connection connection, UUID taskId, String gridId, String skill,
                                        double[] position, RegistryState registry, Instant now) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "assign:" + gridId);
            lock.execute();
        }
        return WorkerChoice.choose(registry, new WorkerChoice.Needs(gridId, skill, position,
                excluded(connection, taskId)), lookup(connection), now);
    }

    private TaskEvent giveTo(Connection connection, UUID taskId, String workerId, String reason, Deadline deadline,
                             Instant now, Step step) throws SQLException {
        update(connection, taskId, "worker_id = ?, assignment_reason = ?", workerId, reason);
        Task task = enter(connection, taskId, "ASSIGNED", deadline, now);
        return TaskRows.record(connection, outbox, task, step, now);
    }

    /** Workers who declined the task or let it time out: it does not go back to them. */
    private static Set<String> excluded(Connection connection, UUID taskId) throws SQLException {
        Set<String> workers = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT DISTINCT worker_id FROM dispatch.task_history
                WHERE task_id = ? AND type IN ('DECLINED', 'TIMED_OUT') AND worker_id IS NOT NULL""")) {
            query.setObject(1, taskId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    workers.add(rows.getString(1));
                }
            }
        }
        return workers;
    }

    /** On-duty states, positions and loads of candidate workers, two index lookups per grid tried. */
    static WorkerChoice.Lookup lookup(Connection connection) {
        return new WorkerChoice.Lookup() {
            @Override
            public Map<String, WorkerChoice.Status> status(Collection<String> workerIds) {
                Map<String, WorkerChoice.Status> status = new HashMap<>();
                try (PreparedStatement query = connection.prepareStatement("""
                        SELECT worker_id, on_duty, latitude, longitude FROM dispatch.worker_status
                        WHERE worker_id = ANY (?)""")) {
                    query.setArray(1, connection.createArrayOf("text", workerIds.toArray()));
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            Double latitude = rows.getObject("latitude", Double.class);
                            Double longitude = rows.getObject("longitude", Double.class);
                            status.put(rows.getString("worker_id"), new WorkerChoice.Status(
                                    rows.getObject("on_duty", Boolean.class), latitude == null || longitude == null
                                    ? null : new double[] {latitude, longitude}));
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("Reading the status of workers " + workerIds, e);
                }
                return status;
            }

            @Override
            public Map<String, Integer> load(Collection<String> workerIds) {
                Map<String, Integer> load = new HashMap<>();
                try (PreparedStatement query = connection.prepareStatement("""
                        SELECT worker_id, count(*) FROM dispatch.task
                        WHERE worker_id = ANY (?) AND state IN ('ASSIGNED', 'ACCEPTED', 'ON_SITE')
                        GROUP BY worker_id""")) {
                    query.setArray(1, connection.createArrayOf("text", workerIds.toArray()));
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            load.put(rows.getString(1), rows.getInt(2));
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("Counting the tasks of workers " + workerIds, e);
                }
                return load;
            }
        };
    }

    // ---- what people do ---------------------------------------------------------------------

    /** What comes with an action: the phone's request id (a retry changes nothing), a note, a position, a photo, a worker. */
    public record Request(String requestId, String note, Double latitude, Double longitude, byte[] photo,
                         String photoType, String workerId) {

        public static Request note(String note) {
            return new Request(null, note, null, null, null, null, null);
        }
    }

    /** The task after an action, the events it wrote, and whether it was a retry of a request already done. */
    public record Outcome(Task task, List<TaskEvent> events, boolean replayed) {
    }

    /**
     * Applies an action of a person to a task: locks it, answers a retried request with the task as
     * it is, refuses what is not allowed (state, actor, missing reason), and writes the events.
     */
    @Transactional
    public Outcome act(UUID taskId, String actor, TaskAction action, Request request, RegistryState registry)
            throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            Task task = find(connection, taskId, true).orElseThrow(() -> new TaskNotFoundException(taskId));
            if (request.requestId() != null && alreadyDone(connection, taskId, actor, request.requestId())) {
                return new Outcome(task, List.of(), true);
            }
            if (action.byAssignedWorker() && !actor.equals(task.workerId())) {
                throw new NotYoursException(task, actor);
            }
            if (!action.allowedFrom(task.state())) {
                throw new IllegalTransitionException(task, action);
            }
            if (action.needsReason() && (request.note() == null || request.note().isBlank())) {
                throw new IllegalArgumentException(action.path() + " needs a " + (action == TaskAction.RESOLVE
                        ? "note saying what was done" : "reason"));
            }
            if ((action == TaskAction.VERIFY || action == TaskAction.FAIL_VERIFICATION)
                    && actor.equals(task.resolvedBy())) {
                throw new SelfVerificationException(task);
            }
            Deadline deadline = deadlineOf(connection, task);
            Step step = new Step(null, actor, request.note(), request.latitude(), request.longitude(),
                    request.requestId());
            List<TaskEvent> events = new ArrayList<>();
            switch (action) {
                case ACCEPT -> events.add(move(connection, task, "ACCEPTED", deadline, now, step,
                        TaskEvent.Type.TYPE_ACCEPTED));
                case ARRIVE -> events.add(move(connection, task, "ON_SITE", deadline, now, step,
                        TaskEvent.Type.TYPE_ARRIVED));
                case RESOLVE -> {
                    update(connection, taskId, "resolved_by = ?, resolution_note = ?, photo = ?, photo_type = ?",
                            actor, request.note(), request.photo(), request.photoType());
                    events.add(move(connection, task, "RESOLVED", deadline, now, step, TaskEvent.Type.TYPE_RESOLVED));
                }
                case VERIFY -> {
                    update(connection, taskId, "verified_by = ?", actor);
                    events.add(move(connection, task, "VERIFIED", deadline, now, step, TaskEvent.Type.TYPE_VERIFIED));
                    events.add(move(connection, task, "CLOSED", deadline, now,
                            new Step(null, actor, request.note(), null, null, null), TaskEvent.Type.TYPE_CLOSED));
                }
                case FAIL_VERIFICATION -> {
                    // Back to the worker who resolved it, who goes again; the next resolve may be theirs again.
                    update(connection, taskId, "reason = ?, resolved_by = NULL, resolution_note = NULL", request.note());
                    events.add(move(connection, task, "ACCEPTED", deadline, now, step,
                            TaskEvent.Type.TYPE_VERIFICATION_FAILED));
                }
                case CANCEL -> {
                    update(connection, taskId, "reason = ?", request.note());
                    events.add(move(connection, task, "CANCELLED", deadline, now, step, TaskEvent.Type.TYPE_CANCELLED));
                }
                case BACKLOG -> {
                    update(connection, taskId, "reason = ?", request.note());
                    events.add(move(connection, task, "BACKLOG", deadline, now, step, TaskEvent.Type.TYPE_BACKLOGGED));
                }
                case DECLINE -> {
                    update(connection, taskId, "reason = ?", request.note());
                    events.add(TaskRows.record(connection, outbox, find(connection, taskId, false).orElseThrow(),
                            withType(step, TaskEvent.Type.TYPE_DECLINED), now));
                    events.addAll(assign(connection, find(connection, taskId, false).orElseThrow(), registry,
                            deadline, now));
                }
                case ASSIGN -> {
                    Worker worker = registry.worker(request.workerId()).orElseThrow(() ->
                            new IllegalArgumentException("No worker '" + request.workerId() + "' in the registry"));
                    String reason = "assigned by " + actor + (request.note() == null ? "" : ": " + request.note());
                    events.add(giveTo(connection, taskId, worker.getId(), reason, deadline, now,
                            withType(step, TaskEvent.Type.TYPE_ASSIGNED)));
                }
            }
            return new Outcome(find(connection, taskId, false).orElseThrow(), events, false);
        }
    }

    private static Step withType(Step step, TaskEvent.Type type) {
        return new Step(type, step.actor(), step.note(), step.latitude(), step.longitude(), step.requestId());
    }

    private TaskEvent move(Connection connection, Task task, String state, Deadline deadline, Instant now, Step step,
                           TaskEvent.Type type) throws SQLException {
        TaskRows.StageTime stageTime = stageTime(connection, task, type, deadline, now);
        return TaskRows.record(connection, outbox, enter(connection, task.taskId(), state, deadline, now),
                withType(step, type), now, stageTime);
    }

    /**
     * The stage an event ends, with how long it took since it started and whether that was within
     * its first deadline (an escalation gives more time, not a second chance at being on time);
     * for the closing event, the whole task, on time when no deadline of it was ever missed.
     * Null for events that end no stage.
     */
    private static TaskRows.StageTime stageTime(Connection connection, Task before, TaskEvent.Type type,
                                                Deadline deadline, Instant now) throws SQLException {
        switch (type) {
            case TYPE_ACCEPTED, TYPE_ARRIVED, TYPE_RESOLVED, TYPE_VERIFIED -> {
                Duration took = Duration.between(before.stageStartedAt(), now);
                Duration window = deadline.window(before.state());
                return new TaskRows.StageTime(Deadline.stage(before.state()), took,
                        window == null || took.compareTo(window) <= 0);
            }
            case TYPE_CLOSED -> {
                try (PreparedStatement query = connection.prepareStatement("""
                        SELECT count(*) FROM dispatch.task_history
                        WHERE task_id = ? AND (type IN ('TIMED_OUT', 'ESCALATED') OR on_time = false)""")) {
                    query.setObject(1, before.taskId());
                    try (ResultSet row = query.executeQuery()) {
                        row.next();
                        return new TaskRows.StageTime("close", Duration.between(before.createdAt(), now),
                                row.getLong(1) == 0);
                    }
                }
            }
            default -> {
                return null;
            }
        }
    }

    /** The task enters a state: its stage starts now, with the state's deadline, and is no longer overdue. */
    private static Task enter(Connection connection, UUID taskId, String state, Deadline deadline, Instant now)
            throws SQLException {
        Duration window = deadline.window(state);
        update(connection, taskId, "state = ?, stage_started_at = ?, updated_at = ?, due_at = ?, overdue_since = NULL",
                state, Timestamp.from(now), Timestamp.from(now), window == null ? null : Timestamp.from(now.plus(window)));
        return find(connection, taskId, false).orElseThrow();
    }

    private static void update(Connection connection, UUID taskId, String assignments, Object... values)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE dispatch.task SET " + assignments + " WHERE task_id = ?")) {
            int i = 0;
            for (Object value : values) {
                update.setObject(++i, value);
            }
            update.setObject(++i, taskId);
            update.executeUpdate();
        }
    }

    private static boolean alreadyDone(Connection connection, UUID taskId, String actor, String requestId)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM dispatch.task_history WHERE task_id = ? AND actor = ? AND request_id = ?")) {
            query.setObject(1, taskId);
            query.setString(2, actor);
            query.setString(3, requestId);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * An alert resolved before anyone arrived: its task (not yet on site) is cancelled with the
     * reason. A task already on site goes on: the worker is there and reports what they found.
     */
    @Transactional
    public List<TaskEvent> cancelForAlert(String alertId, String reason) throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            Optional<Task> task;
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM dispatch.task WHERE alert_id = ? AND state IN ('CREATED', 'ASSIGNED', 'ACCEPTED') FOR UPDATE")) {
                query.setString(1, alertId);
                try (ResultSet row = query.executeQuery()) {
                    task = row.next() ? Optional.of(toTask(row)) : Optional.empty();
                }
            }
            if (task.isEmpty()) {
                return List.of();
            }
            update(connection, task.get().taskId(), "reason = ?", reason);
            return List.of(move(connection, task.get(), "CANCELLED", deadlineOf(connection, task.get()), now,
                    Step.by(null, ACTOR, reason), TaskEvent.Type.TYPE_CANCELLED));
        }
    }

    // ---- deadlines --------------------------------------------------------------------------

    /**
     * Handles tasks whose stage deadline has passed, each once whatever the number of replicas
     * ({@code FOR UPDATE SKIP LOCKED}) and across restarts (the deadline is a column): an
     * assignment not accepted in time times out and goes to the next best worker; every missed
     * deadline puts the task on the overdue list and escalates it one level up (community
     * supervisor, street dispatcher, district commander), who gets the stage's time again.
     * Returns how many tasks it handled.
     */
    @Transactional
    public int runDue(RegistryState registry, int limit) throws SQLException {
        Instant now = clock.instant();
        List<Task> due = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM dispatch.task WHERE due_at <= ? ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                query.setTimestamp(1, Timestamp.from(now));
                query.setInt(2, limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        due.add(toTask(rows));
                    }
                }
            }
            for (Task task : due) {
                missed(connection, task, registry, now);
            }
        }
        return due.size();
    }

    private void missed(Connection connection, Task task, RegistryState registry, Instant now) throws SQLException {
        Deadline deadline = deadlineOf(connection, task);
        String stage = Deadline.stage(task.state());
        String note = stage + " deadline missed (due " + task.dueAt() + ")";
        if (task.state().equals("ASSIGNED")) {
            TaskRows.record(connection, outbox, task, Step.by(TaskEvent.Type.TYPE_TIMED_OUT, ACTOR, note), now);
            assign(connection, find(connection, task.taskId(), false).orElseThrow(), registry, deadline, now);
        }
        Task current = find(connection, task.taskId(), false).orElseThrow();
        Optional<EscalationLevel> next = EscalationLevel.after(current.escalationLevel(), current.place());
        Instant overdueSince = task.overdueSince() != null ? task.overdueSince() : task.dueAt();
        if (next.isPresent()) {
            EscalationLevel level = next.get();
            String to = registry.workersOf(level.areaOf(current.place())).stream()
                    .filter(w -> w.getRole() == level.role()).map(Worker::getId).sorted().findFirst().orElse(null);
            Duration window = deadline.window(current.state());
            update(connection, task.taskId(), "escalation_level = ?, escalated_to = ?, escalations = escalations + 1, "
                    + "due_at = ?, overdue_since = ?", level.name(), to,
                    window == null ? null : Timestamp.from(now.plus(window)), timestamp(overdueSince));
            TaskRows.record(connection, outbox, find(connection, task.taskId(), false).orElseThrow(),
                    Step.by(TaskEvent.Type.TYPE_ESCALATED, ACTOR, note + (to == null
                            ? "; nobody on record at the " + level.name().toLowerCase() + " level" : "")), now);
        } else {
            // At the top already: it stays on the overdue list; a worker it was just reassigned to
            // still gets the accept time.
            update(connection, task.taskId(), "due_at = ?, overdue_since = ?",
                    current.state().equals("ASSIGNED") ? timestamp(current.dueAt()) : null,
                    timestamp(overdueSince));
        }
    }

    /** The deadline row for a kind and severity: the first by priority that matches. */
    private static Deadline deadlineFor(Connection connection, String kind, int severity) throws SQLException {
        return firstMatch(deadlines(connection), kind, severity);
    }

    /** The row the task was created under; the first match again if that row has since been deleted. */
    private static Deadline deadlineOf(Connection connection, Task task) throws SQLException {
        List<Deadline> deadlines = deadlines(connection);
        return deadlines.stream().filter(d -> d.deadlineId().equals(task.deadlineId())).findFirst()
                .orElseGet(() -> firstMatch(deadlines, task.kind(), Severity.valueOf(task.severity()).getNumber()));
    }

    private static Deadline firstMatch(List<Deadline> deadlines, String kind, int severity) {
        return deadlines.stream().filter(d -> d.matches(kind, severity)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No deadline row matches kind " + kind
                        + "; the table needs a '*' row"));
    }

    private static List<Deadline> deadlines(Connection connection) throws SQLException {
        List<Deadline> deadlines = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT deadline_id, priority, kind_pattern, min_severity, skill, accept_seconds, arrive_seconds,
                       resolve_seconds, verify_seconds FROM dispatch.deadline ORDER BY priority, deadline_id""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                deadlines.add(new Deadline(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getShort(4),
                        rows.getString(5), rows.getInt(6), rows.getInt(7), rows.getInt(8), rows.getInt(9)));
            }
        }
        return deadlines;
    }

    /** The deadline table, first match first. */
    public List<Deadline> deadlines() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return deadlines(connection);
        }
    }

    /** Adds or replaces a deadline row; tasks already created keep the row they were created under. */
    public void putDeadline(Deadline deadline) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO dispatch.deadline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (deadline_id) DO UPDATE SET priority = EXCLUDED.priority,
                         kind_pattern = EXCLUDED.kind_pattern, min_severity = EXCLUDED.min_severity,
                         skill = EXCLUDED.skill, accept_seconds = EXCLUDED.accept_seconds,
                         arrive_seconds = EXCLUDED.arrive_seconds, resolve_seconds = EXCLUDED.resolve_seconds,
                         verify_seconds = EXCLUDED.verify_seconds""")) {
            int i = 0;
            upsert.setString(++i, deadline.deadlineId());
            upsert.setInt(++i, deadline.priority());
            upsert.setString(++i, deadline.kindPattern());
            upsert.setShort(++i, (short) deadline.minSeverity());
            upsert.setString(++i, emptyToNull(deadline.skill()));
            upsert.setInt(++i, deadline.acceptSeconds());
            upsert.setInt(++i, deadline.arriveSeconds());
            upsert.setInt(++i, deadline.resolveSeconds());
            upsert.setInt(++i, deadline.verifySeconds());
            upsert.executeUpdate();
        }
    }

    // ---- workers' phones --------------------------------------------------------------------

    /** A worker clocks in or out (null: leave it to the shifts) and tells where they are (null: unchanged). */
    public void setStatus(String workerId, Boolean onDuty, Double latitude, Double longitude) throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO dispatch.worker_status (worker_id, on_duty, latitude, longitude, position_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?)
                     ON CONFLICT (worker_id) DO UPDATE SET on_duty = EXCLUDED.on_duty,
                         latitude = coalesce(EXCLUDED.latitude, worker_status.latitude),
                         longitude = coalesce(EXCLUDED.longitude, worker_status.longitude),
                         position_at = coalesce(EXCLUDED.position_at, worker_status.position_at),
                         updated_at = EXCLUDED.updated_at""")) {
            boolean position = latitude != null && longitude != null;
            upsert.setString(1, workerId);
            upsert.setObject(2, onDuty);
            upsert.setObject(3, position ? latitude : null);
            upsert.setObject(4, position ? longitude : null);
            upsert.setTimestamp(5, position ? Timestamp.from(now) : null);
            upsert.setTimestamp(6, Timestamp.from(now));
            upsert.executeUpdate();
        }
    }

    // ---- reading ----------------------------------------------------------------------------

    public List<Task> list(String alertId, String workerId, String state, int limit) throws SQLException {
        return list(alertId, workerId, state, null, false, limit);
    }

    /**
     * Tasks, newest first; {@code areaId} matches any level of a task's place; {@code overdueOnly}
     * gives the overdue list (a stage deadline missed), longest overdue first.
     */
    public List<Task> list(String alertId, String workerId, String state, String areaId, boolean overdueOnly,
                           int limit) throws SQLException {
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
        if (areaId != null) {
            sql.append(" AND ? IN (district_id, street_id, community_id, grid_id, building_id, unit_id)");
            args.add(areaId);
        }
        sql.append(overdueOnly ? " AND overdue_since IS NOT NULL ORDER BY overdue_since" : " ORDER BY created_at DESC");
        sql.append(" LIMIT ?");
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
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, taskId, false);
        }
    }

    /** The photo sent with the resolution, with its media type; empty when there is none. */
    public Optional<Photo> photo(UUID taskId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT photo, photo_type FROM dispatch.task WHERE task_id = ? AND photo IS NOT NULL")) {
            query.setObject(1, taskId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new Photo(row.getBytes(1), row.getString(2))) : Optional.empty();
            }
        }
    }

    public record Photo(byte[] bytes, String type) {
    }

    /** One step of a task as its history shows it. */
    public record HistoryEntry(UUID eventId, String type, String actor, Instant occurredAt, String state,
                               String workerId, Double latitude, Double longitude, String note) {
    }

    /** A task's steps, oldest first; empty for an unknown task. */
    public List<HistoryEntry> history(UUID taskId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT event_id, type, actor, occurred_at, state, worker_id, latitude, longitude, note
                     FROM dispatch.task_history WHERE task_id = ? ORDER BY seq""")) {
            query.setObject(1, taskId);
            List<HistoryEntry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(new HistoryEntry(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            rows.getTimestamp(4).toInstant(), rows.getString(5), rows.getString(6),
                            rows.getObject(7, Double.class), rows.getObject(8, Double.class), rows.getString(9)));
                }
            }
            return entries;
        }
    }

    /** A task event as a phone is told it: its position in the history, what happened, and the task as it is now. */
    public record Change(long position, String event, String actor, Instant occurredAt, String note,
                         String workerId, Task task) {
    }

    /**
     * Task events after {@code position}, oldest first, each with its task as it is now. Positions
     * are in commit order ({@link TaskRows#record}), so reading on from the last one misses nothing.
     */
    public List<Change> changesAfter(long position, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT h.seq, h.type, h.actor, h.occurred_at, "
                     + "h.note, h.worker_id AS event_worker_id, " + TaskRows.columnsOf("t")
                     + " FROM dispatch.task_history h JOIN dispatch.task t ON t.task_id = h.task_id"
                     + " WHERE h.seq > ? ORDER BY h.seq LIMIT ?")) {
            query.setLong(1, position);
            query.setInt(2, limit);
            List<Change> changes = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    changes.add(new Change(rows.getLong("seq"), rows.getString("type"), rows.getString("actor"),
                            rows.getTimestamp("occurred_at").toInstant(), rows.getString("note"),
                            rows.getString("event_worker_id"), toTask(rows)));
                }
            }
            return changes;
        }
    }

    /** The position of the newest task event now. */
    public long latestPosition() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT coalesce(max(seq), 0) FROM dispatch.task_history");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    // ---- refusals ---------------------------------------------------------------------------

    /** No task has this id. */
    public static final class TaskNotFoundException extends RuntimeException {
        public TaskNotFoundException(UUID taskId) {
            super("No task " + taskId);
        }
    }

    /** The action is not allowed from the task's state, e.g. arriving before accepting. */
    public static final class IllegalTransitionException extends RuntimeException {
        public IllegalTransitionException(Task task, TaskAction action) {
            super("Task " + task.taskId() + " is " + task.state() + ": " + action.path() + " is allowed only when it is "
                    + String.join(" or ", action.from().stream().sorted().toList()));
        }
    }

    /** A worker acting on a task that is not assigned to them. */
    public static final class NotYoursException extends RuntimeException {
        public NotYoursException(Task task, String actor) {
            super("Task " + task.taskId() + " is not assigned to " + actor);
        }
    }

    /** The resolver tried to verify (or fail) their own fix. */
    public static final class SelfVerificationException extends RuntimeException {
        public SelfVerificationException(Task task) {
            super("Task " + task.taskId() + " was resolved by " + task.resolvedBy()
                    + ": someone else must verify it");
        }
    }
}
