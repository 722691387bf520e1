package org.gridwatch.dispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
    DataSource dataSource;

    /**
     * Figures of the areas of level {@code by} under {@code areaId} (any level; null for all):
     * stages that ended in [{@code from}, {@code to}), and open and overdue counts now. Areas with
     * neither appear not at all; areas are in id order.
     */
    public List<Area> of(String areaId, By by, Instant from, Instant to) throws SQLException {
        Map<String, Map<String, Stage>> stages = new TreeMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT coalesce(t.%s, '') AS area, h.stage, count(*),
                           avg(CASE WHEN h.on_time THEN 1.0 ELSE 0.0 END), avg(h.stage_seconds),
                           percentile_cont(0.9) WITHIN GROUP (ORDER BY h.stage_seconds)
                    FROM dispatch.task_history h JOIN dispatch.task t ON t.task_id = h.task_id
                    WHERE h.stage IS NOT NULL AND h.occurred_at >= ? AND h.occurred_at < ?
                      AND (?::text IS NULL OR ? IN (t.district_id, t.street_id, t.community_id, t.grid_id))
                    GROUP BY 1, 2""".formatted(by.column))) {
                query.setTimestamp(1, Timestamp.from(from));
                query.setTimestamp(2, Timestamp.from(to));
                query.setString(3, areaId);
                query.setString(4, areaId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        stages.computeIfAbsent(rows.getString(1), a -> new LinkedHashMap<>()).put(rows.getString(2),
                                new Stage(rows.getLong(3), rows.getDouble(4), rows.getDouble(5), rows.getDouble(6)));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT coalesce(%s, '') AS area, count(*), count(*) FILTER (WHERE overdue_since IS NOT NULL)
                    FROM dispatch.task
                    WHERE state NOT IN ('CLOSED', 'CANCELLED', 'VERIFIED')
                      AND (?::text IS NULL OR ? IN (district_id, street_id, community_id, grid_id))
                    GROUP BY 1""".formatted(by.column))) {
                query.setString(1, areaId);
                query.setString(2, areaId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        counts.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
                    }
                }
            }
        }
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
