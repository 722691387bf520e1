package org.gridwatch.dispatch.store;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.contract.v1.Severity;
import org.gridwatch.dispatch.domain.Deadline;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.plumbing.sql.Rows;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The table of time limits per kind and severity, as data: the first row by priority that matches applies. */
@ApplicationScoped
public class DeadlineTable {

    @Inject
    Jdbi jdbi;

    /** The table, first match first. */
    public List<Deadline> deadlines() {
        return jdbi.withHandle(DeadlineTable::deadlines);
    }

    /** Adds or replaces a row; tasks already created keep the row they were created under. */
    public void put(Deadline deadline) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO dispatch.deadline (deadline_id, priority, kind_pattern, min_severity, skill,
                            accept_seconds, arrive_seconds, resolve_seconds, verify_seconds)
                        VALUES (:deadlineId, :priority, :kindPattern, :minSeverity, :skill, :acceptSeconds,
                            :arriveSeconds, :resolveSeconds, :verifySeconds)
                        ON CONFLICT (deadline_id) DO UPDATE SET priority = EXCLUDED.priority,
                            kind_pattern = EXCLUDED.kind_pattern, min_severity = EXCLUDED.min_severity,
                            skill = EXCLUDED.skill, accept_seconds = EXCLUDED.accept_seconds,
                            arrive_seconds = EXCLUDED.arrive_seconds, resolve_seconds = EXCLUDED.resolve_seconds,
                            verify_seconds = EXCLUDED.verify_seconds""")
                .bind("deadlineId", deadline.deadlineId()).bind("priority", deadline.priority())
                .bind("kindPattern", deadline.kindPattern()).bind("minSeverity", (short) deadline.minSeverity())
                .bind("skill", Rows.emptyToNull(deadline.skill()))
                .bind("acceptSeconds", deadline.acceptSeconds()).bind("arriveSeconds", deadline.arriveSeconds())
                .bind("resolveSeconds", deadline.resolveSeconds()).bind("verifySeconds", deadline.verifySeconds())
                .execute());
    }

    /** The row for a new task of a kind and severity. */
    static Deadline forNew(Handle handle, String kind, int severity) {
        return firstMatch(deadlines(handle), kind, severity);
    }

    /** The row the task was created under; the first match again if that row has since been deleted. */
    static Deadline of(Handle handle, Task task) {
        List<Deadline> deadlines = deadlines(handle);
        return deadlines.stream().filter(d -> d.deadlineId().equals(task.deadlineId())).findFirst()
                .orElseGet(() -> firstMatch(deadlines, task.kind(), Severity.valueOf(task.severity()).getNumber()));
    }

    private static Deadline firstMatch(List<Deadline> deadlines, String kind, int severity) {
        return deadlines.stream().filter(d -> d.matches(kind, severity)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No deadline row matches kind " + kind
                        + "; the table needs a '*' row"));
    }

    private static List<Deadline> deadlines(Handle handle) {
        return handle.createQuery("""
                        SELECT deadline_id, priority, kind_pattern, min_severity, skill, accept_seconds, arrive_seconds,
                               resolve_seconds, verify_seconds FROM dispatch.deadline ORDER BY priority, deadline_id""")
                .map((row, context) -> new Deadline(row.getString(1), row.getInt(2), row.getString(3),
                        row.getShort(4), row.getString(5), row.getInt(6), row.getInt(7), row.getInt(8), row.getInt(9)))
                .list();
    }
}
