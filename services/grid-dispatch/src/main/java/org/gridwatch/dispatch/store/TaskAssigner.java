package org.gridwatch.dispatch.store;

import static org.gridwatch.plumbing.sql.Rows.emptyToNull;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.dispatch.domain.Deadline;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskState;
import org.gridwatch.dispatch.domain.WorkerChoice;
import org.gridwatch.plumbing.sql.Locks;
import org.gridwatch.registryview.RegistryState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Makes tasks (from an alert that asks for one, or from a report through the hotline, a patrol, a
 * resident or an operator) and gives each to the best available worker ({@link WorkerChoice}):
 * when it is made, and again after a decline or a time-out. One task per alert, whatever the
 * number of deliveries of its event.
 */
@ApplicationScoped
public class TaskAssigner {

    @Inject
    Jdbi jdbi;

    @Inject
    TaskJournal journal;

    @Inject
    Clock clock;

    /** A problem reported through a channel other than an alert: the hotline, a patrol, a resident, an operator. */
    public record Report(String channel, String kind, Severity severity, String areaId, String summary,
                         Double latitude, Double longitude, String reportedBy) {
    }

    /** A task just made, with the events it caused (created, and assigned when somebody was found). */
    public record Created(Task task, List<TaskEvent> events) {
    }

    private record NewTask(String alertId, String channel, String kind, Severity severity, Location place,
                           double[] position, String subjectId, String summary, String reportedBy) {
    }

    /**
     * Creates the task for an alert that asks for one and assigns it. Returns the events written,
     * none when the alert already has its task (a redelivered event).
     */
    @Transactional(rollbackOn = Exception.class)
    public List<TaskEvent> createForAlert(AlertEvent alert, RegistryState registry) throws SQLException {
        Location place = alert.getLocation();
        String area = !place.getUnitId().isEmpty() ? place.getUnitId() : place.getBuildingId();
        double[] position = registry.positionOf(area).orElse(null);
        return create(new NewTask(alert.getAlertId(), "alert", alert.getKind(), alert.getSeverity(), place,
                position, alert.getSubjectId(), alert.getSummary(), null), registry, "from alert " + alert.getAlertId())
                .map(Created::events).orElse(List.of());
    }

    /** Creates a task from a report and assigns it; the task follows the same loop as one from an alert. */
    @Transactional(rollbackOn = Exception.class)
    public Created report(Report report, RegistryState registry) throws SQLException {
        Location place = registry.locate(report.areaId());
        double[] position = report.latitude() != null && report.longitude() != null
                ? new double[] {report.latitude(), report.longitude()}
                : registry.positionOf(report.areaId()).orElse(null);
        return create(new NewTask(null, report.channel(), report.kind(), report.severity(), place, position,
                report.areaId(), report.summary(), report.reportedBy()), registry,
                "reported through " + report.channel() + " by " + report.reportedBy()).orElseThrow();
    }

    private Optional<Created> create(NewTask spec, RegistryState registry, String note) throws SQLException {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            int severity = Math.max(spec.severity().getNumber(), Severity.INFO_VALUE);
            Deadline deadline = DeadlineTable.forNew(handle, spec.kind(), severity);
            Location place = spec.place();
            Optional<Task> inserted = handle.createQuery("""
                            INSERT INTO dispatch.task (task_id, alert_id, channel, kind, severity, state, district_id,
                                street_id, community_id, grid_id, building_id, unit_id, subject_id, summary, created_at,
                                updated_at, stage_started_at, skill, deadline_id, latitude, longitude, reported_by, due_at)
                            VALUES (:taskId, :alertId, :channel, :kind, :severity, 'CREATED', :districtId, :streetId,
                                :communityId, :gridId, :buildingId, :unitId, :subjectId, :summary, :now, :now, :now,
                                :skill, :deadlineId, :latitude, :longitude, :reportedBy, :dueAt)
                            ON CONFLICT (alert_id) WHERE alert_id IS NOT NULL DO NOTHING
                            RETURNING %s""".formatted(TaskRows.COLUMNS))
                    .bind("taskId", UUID.randomUUID()).bind("alertId", spec.alertId()).bind("channel", spec.channel())
                    .bind("kind", spec.kind()).bind("severity", (short) severity)
                    .bind("districtId", emptyToNull(place.getDistrictId()))
                    .bind("streetId", emptyToNull(place.getStreetId()))
                    .bind("communityId", emptyToNull(place.getCommunityId()))
                    .bind("gridId", emptyToNull(place.getGridId()))
                    .bind("buildingId", emptyToNull(place.getBuildingId()))
                    .bind("unitId", emptyToNull(place.getUnitId()))
                    .bind("subjectId", spec.subjectId()).bind("summary", spec.summary()).bind("now", now)
                    .bind("skill", deadline.skill()).bind("deadlineId", deadline.deadlineId())
                    .bind("latitude", spec.position() == null ? null : spec.position()[0])
                    .bind("longitude", spec.position() == null ? null : spec.position()[1])
                    .bind("reportedBy", spec.reportedBy()).bind("dueAt", now.plus(deadline.window(TaskState.CREATED)))
                    .map(TaskRows.TASK).findOne();
            if (inserted.isEmpty()) {
                return Optional.empty();
            }
            Task task = inserted.get();
            List<TaskEvent> events = new ArrayList<>();
            events.add(journal.record(handle, task, TaskJournal.Act.by(TaskEvent.Type.TYPE_CREATED,
                    TaskJournal.SYSTEM_ACTOR, note), now));
            events.addAll(assign(handle, task, registry, deadline, now));
            return Optional.of(new Created(TaskRows.current(handle, task.taskId()), events));
        });
    }

    /**
     * Gives the task to the best available worker (none of those who declined it or let it time
     * out), or leaves it waiting unassigned with the reason; its accept deadline starts now.
     */
    List<TaskEvent> assign(Handle handle, Task task, RegistryState registry, Deadline deadline, Instant now)
            throws SQLException {
        double[] position = task.latitude() == null ? null : new double[] {task.latitude(), task.longitude()};
        WorkerChoice.Decision decision = decide(handle, task.taskId(), task.place().gridId(), task.skill(), position,
                registry, now);
        if (decision.worker().isEmpty()) {
            handle.createUpdate("""
                            UPDATE dispatch.task SET state = 'CREATED', worker_id = NULL, assignment_reason = :reason
                            WHERE task_id = :id""")
                    .bind("reason", decision.reason()).bind("id", task.taskId()).execute();
            TaskRows.enter(handle, task.taskId(), TaskState.CREATED, deadline, now);
            return List.of();
        }
        return List.of(giveTo(handle, task.taskId(), decision.worker().get().getId(), decision.reason(), deadline,
                now, TaskJournal.Act.by(TaskEvent.Type.TYPE_ASSIGNED, TaskJournal.SYSTEM_ACTOR, decision.reason())));
    }

    /** Assigns the task to the worker for the reason; its accept deadline starts now. */
    TaskEvent giveTo(Handle handle, UUID taskId, String workerId, String reason, Deadline deadline, Instant now,
                     TaskJournal.Act act) throws SQLException {
        handle.createUpdate("UPDATE dispatch.task SET worker_id = :workerId, assignment_reason = :reason WHERE task_id = :id")
                .bind("workerId", workerId).bind("reason", reason).bind("id", taskId).execute();
        Task task = TaskRows.enter(handle, taskId, TaskState.ASSIGNED, deadline, now);
        return journal.record(handle, task, act, now);
    }

    /**
     * The assignment decision (measured by the dispatch benchmark): who, of the workers not
     * excluded from the task, gets it. Decisions in a grid are serialized until the transaction
     * ends, so that two tasks do not both pick the same idle worker.
     */
    static WorkerChoice.Decision decide(Handle handle, UUID taskId, String gridId, String skill, double[] position,
                                        RegistryState registry, Instant now) throws SQLException {
        Locks.holdUntilCommit(handle.getConnection(), "assign:" + gridId);
        return WorkerChoice.choose(registry, new WorkerChoice.Needs(gridId, skill, position,
                excluded(handle, taskId)), WorkerStatusStore.lookup(handle), now);
    }

    /** Workers who declined the task or let it time out: it does not go back to them. */
    private static Set<String> excluded(Handle handle, UUID taskId) {
        return new HashSet<>(handle.createQuery("""
                        SELECT DISTINCT worker_id FROM dispatch.task_history
                        WHERE task_id = :id AND type IN ('DECLINED', 'TIMED_OUT') AND worker_id IS NOT NULL""")
                .bind("id", taskId).mapTo(String.class).list());
    }
}
