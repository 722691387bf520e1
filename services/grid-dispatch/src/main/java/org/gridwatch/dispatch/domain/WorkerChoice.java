package org.gridwatch.dispatch.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.registryview.RegistryState;

/**
 * Picks who gets a new task: the least-loaded grid worker on shift in the task's grid, then in
 * the neighbouring grids. The reason is kept on the task so a dispatcher can see why.
 */
public final class WorkerChoice {

    /** The chosen worker (empty when nobody is available) and why. */
    public record Decision(Optional<Worker> worker, String reason) {
    }

    private WorkerChoice() {
    }

    public static Decision choose(RegistryState registry, String gridId, Map<String, Integer> openTasks, Instant now) {
        if (gridId == null || gridId.isEmpty()) {
            return new Decision(Optional.empty(), "the alert has no grid, so nobody can be chosen");
        }
        List<String> grids = new ArrayList<>();
        grids.add(gridId);
        registry.area(gridId).map(Area::getNeighbourIdsList).ifPresent(grids::addAll);
        for (String grid : grids) {
            ZonedDateTime local = now.atZone(ZoneId.of(registry.timeZoneOf(grid)));
            List<Worker> onDuty = registry.workersOf(grid).stream()
                    .filter(w -> w.getRole() == Worker.Role.GRID_WORKER)
                    .filter(w -> Shifts.onDuty(w, local))
                    .toList();
            Optional<Worker> best = onDuty.stream()
                    .min(Comparator.comparingInt((Worker w) -> openTasks.getOrDefault(w.getId(), 0))
                            .thenComparing(Worker::getId));
            if (best.isPresent()) {
                int load = openTasks.getOrDefault(best.get().getId(), 0);
                String where = grid.equals(gridId) ? "grid " + grid : "neighbouring grid " + grid + " (none on duty in " + gridId + ")";
                return new Decision(best, "least loaded of " + onDuty.size() + " on duty in " + where + ", "
                        + load + " open task(s)");
            }
        }
        return new Decision(Optional.empty(), "nobody on duty in grid " + gridId + " or its neighbours");
    }
}
