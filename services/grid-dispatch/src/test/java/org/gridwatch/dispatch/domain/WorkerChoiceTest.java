package org.gridwatch.dispatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

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

    /** Loads and phone statuses as the store would give them. */
    private static WorkerChoice.Lookup facts(Map<String, Integer> load, Map<String, WorkerChoice.Status> status) {
        return new WorkerChoice.Lookup() {
            @Override
            public Map<String, WorkerChoice.Status> status(Collection<String> workerIds) {
                return status;
            }

            @Override
            public Map<String, Integer> load(Collection<String> workerIds) {
                return load;
            }
        };
    }

    private static WorkerChoice.Needs needs(String grid, String skill, double[] at, String... excluded) {
        return new WorkerChoice.Needs(grid, skill, at, Set.of(excluded));
    }

    @Test
    void theLeastLoadedOnDutyWorkerOfTheGridGetsTheTask() {
        WorkerChoice.Decision decision = WorkerChoice.choose(registry, needs("g1", null, null),
                facts(Map.of("day-a", 2, "day-b", 1), Map.of()), MORNING);

        assertThat(decision.worker()).map(Worker::getId).contains("day-b");
        assertThat(decision.reason()).isEqualTo("least loaded (1 open) of 2 on duty in grid g1");
    }

    @Test
    void atEqualLoadTheNearestGetsItAndTheReasonSaysHowFar() {
        double[] building = {31.2790, 121.4530};
        Map<String, WorkerChoice.Status> phones = Map.of(
                "day-a", new WorkerChoice.Status(null, new double[] {31.2900, 121.4530}),
                "day-b", new WorkerChoice.Status(null, new double[] {31.2790, 121.4555}));

        WorkerChoice.Decision decision = WorkerChoice.choose(registry, needs("g1", null, building),
                facts(Map.of(), phones), MORNING);

        assertThat(decision.worker()).map(Worker::getId).contains("day-b");
        assertThat(decision.reason()).isEqualTo("least loaded (0 open) and nearest (238 m) of 2 on duty in grid g1");
    }

    @Test
    void onlyWorkersWithTheSkillAndWhoHaveNotDeclinedAreChosen() {
        put(RegistryRecord.newBuilder().setWorker(Worker.newBuilder().setId("lift-tech").setAreaId("g1")
                .setRole(Worker.Role.GRID_WORKER).addSkills("elevator")
                .addShifts(Shift.newBuilder().setStart("08:00").setEnd("20:00"))).build());

        assertThat(WorkerChoice.choose(registry, needs("g1", "elevator", null), facts(Map.of("lift-tech", 5), Map.of()),
                MORNING).worker()).map(Worker::getId).contains("lift-tech");
        WorkerChoice.Decision declined = WorkerChoice.choose(registry, needs("g1", "elevator", null, "lift-tech"),
                facts(Map.of(), Map.of()), MORNING);
        assertThat(declined.worker()).isEmpty();
        assertThat(declined.reason()).isEqualTo(
                "nobody on duty with skill elevator in grid g1 or its neighbours (declined or timed out: lift-tech)");
    }

    @Test
    void aWorkerWhoClockedOutIsNotChosenAndOneWhoClockedInIsWhateverTheShift() {
        Map<String, WorkerChoice.Status> phones = Map.of(
                "day-a", new WorkerChoice.Status(false, null), "day-b", new WorkerChoice.Status(false, null),
                "night-g2", new WorkerChoice.Status(true, null));

        WorkerChoice.Decision decision = WorkerChoice.choose(registry, needs("g1", null, null),
                facts(Map.of(), phones), MORNING);

        assertThat(decision.worker()).map(Worker::getId).contains("night-g2");
    }

    @Test
    void atNightWithNobodyOnDutyInTheGridTheNeighbouringGridTakesIt() {
        WorkerChoice.Decision decision = WorkerChoice.choose(registry, needs("g1", null, null),
                facts(Map.of(), Map.of()), NIGHT);

        assertThat(decision.worker()).map(Worker::getId).contains("night-g2");
        assertThat(decision.reason()).contains("neighbouring grid g2");
    }

    @Test
    void nobodyAvailableLeavesTheTaskUnassignedWithTheReason() {
        put(RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("g3").setLevel(AreaLevel.GRID).setParentId("c")
                .addNeighbourIds("g2")).build());

        WorkerChoice.Decision decision = WorkerChoice.choose(registry, needs("g3", null, null),
                facts(Map.of(), Map.of()), MORNING);

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
