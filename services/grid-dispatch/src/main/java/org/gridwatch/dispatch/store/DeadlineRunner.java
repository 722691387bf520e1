package org.gridwatch.dispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.dispatch.domain.Deadline;
import org.gridwatch.dispatch.domain.EscalationLevel;
import org.gridwatch.dispatch.domain.MissedDeadline;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.registryview.RegistryState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Handles tasks whose stage deadline has passed ({@link MissedDeadline} says what that does),
 * each once whatever the number of replicas ({@code FOR UPDATE SKIP LOCKED}) and across restarts
 * (the deadline is a column of the task).
 */
@ApplicationScoped
public class DeadlineRunner {

    @Inject
    Jdbi jdbi;

    @Inject
    TaskJournal journal;

    @Inject
    TaskAssigner assigner;

    @Inject
    Clock clock;

    /** Handles up to {@code limit} tasks whose deadline has passed by now; returns how many. */
    @Transactional(rollbackOn = Exception.class)
    public int runDue(RegistryState registry, int limit) throws SQLException {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            List<Task> due = takeDue(handle.getConnection(), limit, now);
            for (Task task : due) {
                missed(handle, task, registry, now);
            }
            return due.size();
        });
    }

    private static List<Task> takeDue(Connection connection, int limit, Instant now) throws SQLException {
        List<Task> due = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + TaskRows.COLUMNS
                + " FROM dispatch.task WHERE due_at <= ? ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            query.setTimestamp(1, Timestamp.from(now));
            query.setInt(2, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    due.add(TaskRows.toTask(rows));
                }
            }
        }
        return due;
    }

    private void missed(Handle handle, Task task, RegistryState registry, Instant now) throws SQLException {
        Deadline deadline = DeadlineTable.of(handle, task);
        String note = MissedDeadline.note(task);
        if (MissedDeadline.timesOut(task)) {
            journal.record(handle, task, TaskJournal.Act.by(TaskEvent.Type.TYPE_TIMED_OUT, TaskJournal.SYSTEM_ACTOR,
                    note), now);
            assigner.assign(handle, TaskRows.current(handle, task.taskId()), registry, deadline, now);
        }
        Task current = TaskRows.current(handle, task.taskId());
        MissedDeadline.Escalation escalation = MissedDeadline.escalate(current, deadline, now);
        Instant overdueSince = MissedDeadline.overdueSince(task);
        if (escalation.level().isEmpty()) {
            handle.createUpdate("UPDATE dispatch.task SET due_at = :dueAt, overdue_since = :overdueSince WHERE task_id = :id")
                    .bind("dueAt", escalation.dueAt()).bind("overdueSince", overdueSince).bind("id", task.taskId())
                    .execute();
            return;
        }
        EscalationLevel level = escalation.level().get();
        Optional<String> to = level.answerer(registry, current.place());
        handle.createUpdate("""
                        UPDATE dispatch.task SET escalation_level = :level, escalated_to = :to,
                            escalations = escalations + 1, due_at = :dueAt, overdue_since = :overdueSince
                        WHERE task_id = :id""")
                .bind("level", level.name()).bind("to", to.orElse(null)).bind("dueAt", escalation.dueAt())
                .bind("overdueSince", overdueSince).bind("id", task.taskId()).execute();
        journal.record(handle, TaskRows.current(handle, task.taskId()), TaskJournal.Act.by(TaskEvent.Type.TYPE_ESCALATED,
                TaskJournal.SYSTEM_ACTOR, note + (to.isPresent() ? ""
                        : "; nobody on record at the " + level.name().toLowerCase() + " level")), now);
    }
}
