package org.gridwatch.dispatch.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jdbi.v3.core.Jdbi;

/**
 * The figures supervisors watch, per grid, community or street: for each stage (accept, arrive,
 * resolve, verify, and close for the whole task) how many ended in a period, the share that
 * ended by their first deadline, and the mean and 90th percentile of their times; and how many
 * tasks are open and overdue now. Stage ends are kept with the events that ended them
 * ({@code task_history.stage}), so figures of a past period do not change afterwards.
 */
@ApplicationScoped
public class TaskFigures {

    /** The stages, in the order of the loop. */
    public static final List<String> STAGES = List.of("accept", "arrive", "resolve", "verify", "close");

    /** The level figures are grouped by. */
    public enum By {
        GRID("grid_id"), COMMUNITY("community_id"), STREET("street_id"), DISTRICT("district_id");

        private final String column;

        By(String column) {
            this.column = column;
        }
    }

    /** One stage in one area: how many ended, the share on time, mean and p90 seconds (null when none ended). */
    public record Stage(long ended, Double onTimeRate, Double meanSeconds, Double p90Seconds) {

        static final Stage NONE = new Stage(0, null, null, null);
    }

    /** One area's figures; {@code open} counts tasks not closed or cancelled, {@code overdue} those past a deadline. */
    public record Area(String areaId, long open, long overdue, Map<String, Stage> stages) {
    }

    @Inject
    Jdbi jdbi;

    /**
     * Figures of the areas of level {@code by} under {@code areaId} (any level; null for all):
     * stages that ended in [{@code from}, {@code to}), and open and overdue counts now. Areas with
     * neither appear not at all; areas are in id order.
     */
    public List<Area> of(String areaId, By by, Instant from, Instant to) {
        Map<String, Map<String, Stage>> stages = new TreeMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        jdbi.useHandle(handle -> {
            handle.createQuery("""
                            SELECT coalesce(t.%s, '') AS area, h.stage, count(*) AS ended,
                                   avg(CASE WHEN h.on_time THEN 1.0 ELSE 0.0 END) AS on_time_rate,
                                   avg(h.stage_seconds) AS mean_seconds,
                                   percentile_cont(0.9) WITHIN GROUP (ORDER BY h.stage_seconds) AS p90_seconds
                            FROM dispatch.task_history h JOIN dispatch.task t ON t.task_id = h.task_id
                            WHERE h.stage IS NOT NULL AND h.occurred_at >= :from AND h.occurred_at < :to
                              AND (:areaId::text IS NULL OR :areaId IN (t.district_id, t.street_id, t.community_id,
                                   t.grid_id))
                            GROUP BY 1, 2""".formatted(by.column))
                    .bind("from", from).bind("to", to).bind("areaId", areaId)
                    .map((row, context) -> Map.entry(row.getString("area"), Map.entry(row.getString("stage"),
                            new Stage(row.getLong("ended"), row.getDouble("on_time_rate"), row.getDouble("mean_seconds"),
                                    row.getDouble("p90_seconds")))))
                    .forEach(ended -> stages.computeIfAbsent(ended.getKey(), a -> new LinkedHashMap<>())
                            .put(ended.getValue().getKey(), ended.getValue().getValue()));
            handle.createQuery("""
                            SELECT coalesce(%s, '') AS area, count(*) AS open,
                                   count(*) FILTER (WHERE overdue_since IS NOT NULL) AS overdue
                            FROM dispatch.task
                            WHERE state NOT IN ('CLOSED', 'CANCELLED', 'VERIFIED')
                              AND (:areaId::text IS NULL OR :areaId IN (district_id, street_id, community_id, grid_id))
                            GROUP BY 1""".formatted(by.column))
                    .bind("areaId", areaId)
                    .map((row, context) -> Map.entry(row.getString("area"),
                            new long[] {row.getLong("open"), row.getLong("overdue")}))
                    .forEach(now -> counts.put(now.getKey(), now.getValue()));
        });
        TreeMap<String, Boolean> areas = new TreeMap<>();
        stages.keySet().forEach(a -> areas.put(a, true));
        counts.keySet().forEach(a -> areas.put(a, true));
        List<Area> figures = new ArrayList<>();
        for (String area : areas.keySet()) {
            Map<String, Stage> ofArea = new LinkedHashMap<>();
            Map<String, Stage> ended = stages.getOrDefault(area, Map.of());
            STAGES.forEach(stage -> ofArea.put(stage, ended.getOrDefault(stage, Stage.NONE)));
            long[] now = counts.getOrDefault(area, new long[2]);
            figures.add(new Area(area.isEmpty() ? null : area, now[0], now[1], ofArea));
        }
        return figures;
    }
}
