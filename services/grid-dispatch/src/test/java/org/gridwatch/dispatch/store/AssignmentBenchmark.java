package org.gridwatch.dispatch.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Shift;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.dispatch.domain.WorkerChoice;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.testsupport.BenchArgs;
import org.gridwatch.testsupport.Endpoints;
import org.gridwatch.testsupport.Infrastructure;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The assignment decision at city scale: 10,000 grid workers in 1,000 grids (10 streets of 10
 * communities of 10 grids, each grid with two neighbours), every worker's phone status on record,
 * and 100,000 open tasks in hand, in a PostgreSQL database of its own with grid-dispatch's
 * migrations. Each measured decision is the service's own ({@link TaskAssigner#decide}: the grid's
 * lock, the task's exclusions, the candidates' status and load from the database, the ranking),
 * for a new task of a random grid, skill and position, in a transaction rolled back afterwards so
 * that every decision sees the same 100,000 tasks. Run by {@code make bench}; writes a report.
 *
 * <p>Arguments: {@code --workers 10000}, {@code --open-tasks 100000}, {@code --decisions 20000}
 * measured after {@code --warmup 5000}, {@code --report target/bench/dispatch.txt}.
 */
public final class AssignmentBenchmark {

    private static final String[] SKILLS = {"fire", "elevator", "welfare-visit"};
    private static final int WORKERS_PER_GRID = 10;
    private static final int GRIDS_PER_COMMUNITY = 10;
    private static final int COMMUNITIES_PER_STREET = 10;

    private AssignmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.options(args);
        int workers = Integer.parseInt(options.getOrDefault("workers", "10000"));
        int openTasks = Integer.parseInt(options.getOrDefault("open-tasks", "100000"));
        int decisions = Integer.parseInt(options.getOrDefault("decisions", "20000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5000"));
        Path report = Path.of(options.getOrDefault("report", "target/bench/dispatch.txt"));
        int grids = workers / WORKERS_PER_GRID;

        Endpoints endpoints = Infrastructure.get();
        String url = Infrastructure.database("gridwatch_dispatch_bench");
        Flyway.configure().dataSource(url, endpoints.jdbcUser(), endpoints.jdbcPassword()).schemas("dispatch")
                .defaultSchema("dispatch").cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(url, endpoints.jdbcUser(), endpoints.jdbcPassword()).schemas("dispatch")
                .defaultSchema("dispatch").load().migrate();
        RegistryState registry = city(grids);
        Random random = new Random(42);
        try (Connection connection = DriverManager.getConnection(url, endpoints.jdbcUser(), endpoints.jdbcPassword())) {
            long seeding = System.nanoTime();
            seed(connection, grids, openTasks);
            System.out.printf("Seeded %,d worker statuses and %,d open tasks in %.1f s%n", workers, openTasks,
                    (System.nanoTime() - seeding) / 1e9);
            connection.setAutoCommit(false);
            Handle handle = Jdbi.create(connection).installPlugin(new PostgresPlugin()).open();
            List<Long> micros = new ArrayList<>(decisions);
            Map<String, Integer> outcomes = new HashMap<>();
            Instant now = Instant.now();
            for (int i = 0; i < warmup + decisions; i++) {
                int grid = random.nextInt(grids);
                String skill = random.nextInt(4) == 0 ? null : SKILLS[random.nextInt(SKILLS.length)];
                double[] position = {latitude(grid) + random.nextDouble() * 0.005, longitude(grid)
                        + random.nextDouble() * 0.005};
                long start = System.nanoTime();
                WorkerChoice.Decision decision = TaskAssigner.decide(handle, UUID.randomUUID(), "bg-" + grid, skill,
                        position, registry, now);
                long took = (System.nanoTime() - start) / 1_000;
                connection.rollback();
                if (i >= warmup) {
                    micros.add(took);
                    outcomes.merge(decision.worker().isEmpty() ? "nobody available"
                            : decision.reason().contains("neighbouring") ? "a neighbouring grid" : "the task's grid",
                            1, Integer::sum);
                }
            }
            Collections.sort(micros);
            StringBuilder out = new StringBuilder();
            out.append(String.format("Grid dispatch, assignment decision (the grid's lock, exclusions, candidates' "
                    + "status and load from PostgreSQL, ranking)%n"));
            out.append(String.format("City: %,d workers in %,d grids, %,d open tasks; %,d decisions measured after "
                    + "%,d warm-up, one at a time%n", workers, grids, count(connection, "dispatch.task"), decisions,
                    warmup));
            out.append(String.format("Decision time: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms "
                            + "(goal: p99 under 10 ms)%n", BenchArgs.percentileMillis(micros, 50), BenchArgs.percentileMillis(micros, 95),
                    BenchArgs.percentileMillis(micros, 99), BenchArgs.percentileMillis(micros, 100)));
            out.append(String.format("Chosen from: %s%n", outcomes));
            System.out.print(out);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, out.toString());
            System.out.println("Written to " + report);
        }
        System.exit(0);
    }

    /** A district of streets, communities and grids in a row (each grid's neighbours: the grids beside it). */
    private static RegistryState city(int grids) {
        RegistryState registry = new RegistryState();
        put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("bd").setLevel(AreaLevel.DISTRICT)
                .setTimeZone("Asia/Shanghai")).build());
        Random random = new Random(7);
        for (int grid = 0; grid < grids; grid++) {
            int community = grid / GRIDS_PER_COMMUNITY;
            int street = community / COMMUNITIES_PER_STREET;
            if (community % COMMUNITIES_PER_STREET == 0 && grid % GRIDS_PER_COMMUNITY == 0) {
                put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("bs-" + street)
                        .setLevel(AreaLevel.STREET).setParentId("bd")).build());
            }
            if (grid % GRIDS_PER_COMMUNITY == 0) {
                put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("bc-" + community)
                        .setLevel(AreaLevel.COMMUNITY).setParentId("bs-" + street)).build());
            }
            int first = community * GRIDS_PER_COMMUNITY;
            put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("bg-" + grid)
                    .setLevel(AreaLevel.GRID).setParentId("bc-" + community)
                    .addNeighbourIds("bg-" + (first + (grid - first + 1) % GRIDS_PER_COMMUNITY))
                    .addNeighbourIds("bg-" + (first + (grid - first + GRIDS_PER_COMMUNITY - 1) % GRIDS_PER_COMMUNITY)))
                    .build());
            for (int k = 0; k < WORKERS_PER_GRID; k++) {
                Worker.Builder worker = Worker.newBuilder().setId("bw-" + grid + "-" + k).setRole(Worker.Role.GRID_WORKER)
                        .setAreaId("bg-" + grid).addShifts(Shift.newBuilder().setStart("00:00").setEnd("00:00"));
                for (String skill : SKILLS) {
                    if (random.nextInt(3) == 0) {
                        worker.addSkills(skill);
                    }
                }
                put(registry, RegistryRecord.newBuilder().setWorker(worker).build());
            }
        }
        return registry;
    }

    private static void put(RegistryState registry, RegistryRecord record) {
        registry.apply(RegistryState.key(record), record);
    }

    /** Every worker's phone status (most on duty, near their grid) and the open tasks in hand, with their history. */
    private static void seed(Connection connection, int grids, int openTasks) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("""
                    INSERT INTO dispatch.worker_status (worker_id, on_duty, latitude, longitude, position_at, updated_at)
                    SELECT 'bw-' || g || '-' || k,
                           CASE WHEN (g + k) %% 20 = 0 THEN false WHEN (g + k) %% 10 = 1 THEN NULL ELSE true END,
                           31.0 + (g / 40) * 0.01 + random() * 0.01, 121.0 + (g %% 40) * 0.01 + random() * 0.01,
                           now(), now()
                    FROM generate_series(0, %d) g, generate_series(0, %d) k""".formatted(grids - 1, WORKERS_PER_GRID - 1));
            sql.execute("""
                    INSERT INTO dispatch.task (task_id, channel, kind, severity, state, worker_id, district_id,
                        street_id, community_id, grid_id, summary, created_at, updated_at, stage_started_at, due_at)
                    SELECT gen_random_uuid(), 'alert', 'bench.open', 2,
                           (ARRAY['ASSIGNED', 'ACCEPTED', 'ON_SITE'])[1 + i %% 3],
                           'bw-' || (i %% %1$d) || '-' || ((i / %1$d) %% %2$d), 'bd',
                           'bs-' || ((i %% %1$d) / 100), 'bc-' || ((i %% %1$d) / 10), 'bg-' || (i %% %1$d),
                           'an open task', now(), now(), now(), now() + interval '30 days'
                    FROM generate_series(0, %3$d) i""".formatted(grids, WORKERS_PER_GRID, openTasks - 1));
            sql.execute("""
                    INSERT INTO dispatch.task_history (event_id, task_id, type, actor, occurred_at, state, worker_id)
                    SELECT gen_random_uuid(), task_id, step, 'system:grid-dispatch', created_at, 'ASSIGNED', worker_id
                    FROM dispatch.task, unnest(ARRAY['CREATED', 'ASSIGNED']) step""");
            sql.execute("ANALYZE dispatch.task; ANALYZE dispatch.task_history; ANALYZE dispatch.worker_status");
        }
    }

    private static double latitude(int grid) {
        return 31.0 + (grid / 40) * 0.01;
    }

    private static double longitude(int grid) {
        return 121.0 + (grid % 40) * 0.01;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }
}
