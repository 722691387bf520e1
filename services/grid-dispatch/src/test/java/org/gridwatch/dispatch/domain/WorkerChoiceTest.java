package org.gridwatch.dispatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Shift;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.registryview.RegistryState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerChoiceTest {

    /** 10:00 in Shanghai. */
    private static final Instant MORNING = Instant.parse("2026-11-27T02:00:00Z");
    /** 23:00 in Shanghai. */
    private static final Instant NIGHT = Instant.parse("2026-11-27T15:00:00Z");

    private final RegistryState registry = new RegistryState();

    private void put(RegistryRecord record) {
        registry.apply(RegistryState.key(record), record);
    }

    private void worker(String id, String grid, String start, String end) {
        put(RegistryRecord.newBuilder().setWorker(Worker.newBuilder().setId(id).setAreaId(grid)
                .setRole(Worker.Role.GRID_WORKER).addShifts(Shift.newBuilder().setStart(start).setEnd(end))).build());
    }

    @BeforeEach
    void twoNeighbouringGrids() {
        put(RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("c").setLevel(AreaLevel.COMMUNITY)
                .setTimeZone("Asia/Shanghai")).build());
        put(RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("g1").setLevel(AreaLevel.GRID).setParentId("c")
                .addNeighbourIds("g2")).build());
        put(RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("g2").setLevel(AreaLevel.GRID).setParentId("c")
                .addNeighbourIds("g1")).build());
        worker("day-a", "g1", "08:00", "20:00");
        worker("day-b", "g1", "08:00", "20:00");
        worker("night-g2", "g2", "20:00", "08:00");
    }

    @Test
    void theLeastLoadedOnDutyWorkerOfTheGridGetsTheTask() {
        WorkerChoice.Decision decision = WorkerChoice.choose(registry, "g1", Map.of("day-a", 2, "day-b", 1), MORNING);

        assertThat(decision.worker()).map(Worker::getId).contains("day-b");
        assertThat(decision.reason()).isEqualTo("least loaded of 2 on duty in grid g1, 1 open task(s)");
    }

    @Test
    void atNightWithNobodyOnDutyInTheGridTheNeighbouringGridTakesIt() {
        WorkerChoice.Decision decision = WorkerChoice.choose(registry, "g1", Map.of(), NIGHT);

        assertThat(decision.worker()).map(Worker::getId).contains("night-g2");
        assertThat(decision.reason()).contains("neighbouring grid g2");
    }

    @Test
    void nobodyAvailableLeavesTheTaskUnassignedWithTheReason() {
        put(RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("g3").setLevel(AreaLevel.GRID).setParentId("c")
                .addNeighbourIds("g2")).build());

        WorkerChoice.Decision decision = WorkerChoice.choose(registry, "g3", Map.of(), MORNING);

        assertThat(decision.worker()).isEmpty();
        assertThat(decision.reason()).isEqualTo("nobody on duty in grid g3 or its neighbours");
    }

    @Test
    void anOvernightShiftCoversBothSidesOfMidnightAndAnEqualStartAndEndTheWholeDay() {
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        Shift night = Shift.newBuilder().setStart("20:00").setEnd("08:00").build();
        Shift allDay = Shift.newBuilder().setStart("00:00").setEnd("00:00").build();

        assertThat(Shifts.covers(night, NIGHT.atZone(shanghai))).isTrue();
        assertThat(Shifts.covers(night, Instant.parse("2026-11-27T21:00:00Z").atZone(shanghai))).isTrue();
        assertThat(Shifts.covers(night, MORNING.atZone(shanghai))).isFalse();
        assertThat(Shifts.covers(allDay, MORNING.atZone(shanghai))).isTrue();
    }
}
