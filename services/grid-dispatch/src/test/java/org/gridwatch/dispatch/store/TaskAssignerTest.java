package org.gridwatch.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.contract.v1.Shift;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.dispatch.domain.StageTime;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskState;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** Tasks against a real PostgreSQL: one task per alert, spread over the grid's workers with the skill it calls for. */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class TaskAssignerTest {

    @Inject
    TaskAssigner tasks;

    @Inject
    TaskQueries queries;

    /** A grid of its own per test, with two workers on shift all day. */
    private static RegistryState gridWithTwoWorkers(String grid) {
        RegistryState registry = new RegistryState();
        List.of(RegistryRecord.newBuilder().setArea(Area.newBuilder().setId(grid).setLevel(AreaLevel.GRID)
                        .setTimeZone("Asia/Shanghai")).build(),
                worker(grid + "-a", grid), worker(grid + "-b", grid))
                .forEach(r -> registry.apply(RegistryState.key(r), r));
        return registry;
    }

    private static RegistryRecord worker(String id, String grid) {
        return RegistryRecord.newBuilder().setWorker(Worker.newBuilder().setId(id).setAreaId(grid)
                .setRole(Worker.Role.GRID_WORKER).addSkills("welfare-visit").addShifts(Shift.newBuilder().setStart("00:00").setEnd("00:00")))
                .build();
    }

    private static AlertEvent opened(String grid) {
        return AlertEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(AlertEvent.Type.TYPE_OPENED)
                .setAlertId(UUID.randomUUID().toString()).setKind("vital-signs.heart-rate")
                .setSeverity(Severity.CRITICAL).setSubjectId("mat-1")
                .setLocation(Location.newBuilder().setGridId(grid).setUnitId(grid + "-u1")).build();
    }

    @Test
    void anOpenedAlertBecomesOneAssignedTaskEvenWhenItsEventComesTwice() throws Exception {
        String grid = "grid-" + UUID.randomUUID();
        RegistryState registry = gridWithTwoWorkers(grid);
        AlertEvent alert = opened(grid);

        List<TaskEvent> first = tasks.createForAlert(alert, registry);
        List<TaskEvent> again = tasks.createForAlert(alert, registry);

        assertThat(first).extracting(TaskEvent::getType)
                .containsExactly(TaskEvent.Type.TYPE_CREATED, TaskEvent.Type.TYPE_ASSIGNED);
        assertThat(again).isEmpty();
        assertThat(queries.list(new TaskQueries.Filter(alert.getAlertId(), null, null, null), false, 10)).singleElement().satisfies(task -> {
            assertThat(task.state()).isEqualTo(TaskState.ASSIGNED);
            assertThat(task.workerId()).isEqualTo(grid + "-a");
            assertThat(task.place().unitId()).isEqualTo(grid + "-u1");
        });
    }

    @Test
    void theNextTaskGoesToTheLessLoadedWorker() throws Exception {
        String grid = "grid-" + UUID.randomUUID();
        RegistryState registry = gridWithTwoWorkers(grid);

        tasks.createForAlert(opened(grid), registry);
        tasks.createForAlert(opened(grid), registry);
        tasks.createForAlert(opened(grid), registry);

        List<String> assigned = queries.list(new TaskQueries.Filter(null, null, TaskState.ASSIGNED, null), false, 1000).stream()
                .filter(t -> grid.equals(t.place().gridId())).map(Task::workerId).toList();
        assertThat(assigned).hasSize(3).containsOnly(grid + "-a", grid + "-b");
        assertThat(assigned.stream().filter((grid + "-a")::equals).count()).isEqualTo(2);
    }

    @Test
    void withNobodyOnDutyTheTaskWaitsUnassignedWithTheReason() throws Exception {
        String grid = "grid-" + UUID.randomUUID();
        RegistryState empty = new RegistryState();
        AlertEvent alert = opened(grid);

        assertThat(tasks.createForAlert(alert, empty)).extracting(TaskEvent::getType)
                .containsExactly(TaskEvent.Type.TYPE_CREATED);
        assertThat(queries.list(new TaskQueries.Filter(alert.getAlertId(), null, null, null), false, 10)).singleElement().satisfies(task -> {
            assertThat(task.state()).isEqualTo(TaskState.CREATED);
            assertThat(task.assignmentReason()).isEqualTo("nobody on duty with skill welfare-visit in grid " + grid + " or its neighbours");
        });
    }

    /**
     * The database goes away after the task is inserted and its CREATED event written, before it
     * is assigned: nothing may stay committed, or the retry would find the alert's task made and
     * leave it unassigned for good.
     */
    @Test
    void aTaskWhoseAssignmentFailsHalfWayCommitsNothingAndIsMadeAndAssignedOnRetry() throws Exception {
        String grid = "grid-" + UUID.randomUUID();
        RegistryState registry = gridWithTwoWorkers(grid);
        AlertEvent alert = opened(grid);
        AtomicBoolean failed = new AtomicBoolean();
        QuarkusMock.installMockForType(new TaskJournal() {
            @Override
            TaskEvent record(Handle handle, Task task, Act act, Instant at, StageTime stageTime) throws SQLException {
                if (act.type() == TaskEvent.Type.TYPE_ASSIGNED && failed.compareAndSet(false, true)) {
                    throw new SQLException("connection lost while assigning (injected)", "08006");
                }
                return super.record(handle, task, act, at, stageTime);
            }
        }, TaskJournal.class);

        assertThatThrownBy(() -> tasks.createForAlert(alert, registry)).hasMessageContaining("injected");
        assertThat(queries.list(new TaskQueries.Filter(alert.getAlertId(), null, null, null), false, 10))
                .as("no task kept from the failed attempt").isEmpty();

        List<TaskEvent> retried = tasks.createForAlert(alert, registry);

        assertThat(retried).extracting(TaskEvent::getType)
                .containsExactly(TaskEvent.Type.TYPE_CREATED, TaskEvent.Type.TYPE_ASSIGNED);
        Task task = queries.list(new TaskQueries.Filter(alert.getAlertId(), null, null, null), false, 10).get(0);
        assertThat(task.state()).isEqualTo(TaskState.ASSIGNED);
        assertThat(queries.history(task.taskId())).extracting(TaskQueries.HistoryEntry::type)
                .containsExactly("CREATED", "ASSIGNED");
    }
}
