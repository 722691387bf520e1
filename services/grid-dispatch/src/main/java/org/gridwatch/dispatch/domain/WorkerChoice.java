package org.gridwatch.dispatch.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.registryview.RegistryState;

/**
 * Picks who gets a task: among the grid workers of the task's grid who are on duty, have the
 * skill the task calls for and have not declined it or let it time out, the least loaded, then
 * the nearest; failing that, the same in the neighbouring grids. The reason is kept on the task
 * so that a dispatcher can see why ("least loaded (0 open) and nearest (240 m) of 3 on duty...").
 */
public final class WorkerChoice {

    /** What the task calls for: its grid, a skill (null: anyone), where it is (null: unknown), who is out. */
    public record Needs(String gridId, String skill, double[] position, Set<String> excluded) {
    }

    /** What the phones last said of a worker: on duty (null: the shifts decide) and where. */
    public record Status(Boolean onDuty, double[] position) {
    }

    /** Live facts about workers, fetched only for the candidates of a grid (there may be thousands of workers). */
    public interface Lookup {
        Map<String, Status> status(Collection<String> workerIds);

        /** Tasks each has in hand (assigned, accepted, on site). */
        Map<String, Integer> load(Collection<String> workerIds);
    }

    /** The chosen worker (empty when nobody is available) and why. */
    public record Decision(Optional<Worker> worker, String reason) {
    }

    private record Ranked(Worker worker, int load, double metres) {
    }

    private WorkerChoice() {
    }

    public static Decision choose(RegistryState registry, Needs needs, Lookup lookup, Instant now) {
        if (needs.gridId() == null || needs.gridId().isEmpty()) {
            return new Decision(Optional.empty(), "the task has no grid, so nobody can be chosen");
        }
        List<String> grids = new ArrayList<>();
        grids.add(needs.gridId());
        registry.area(needs.gridId()).map(Area::getNeighbourIdsList).ifPresent(grids::addAll);
        String skill = needs.skill() == null ? "" : " with skill " + needs.skill();
        for (String grid : grids) {
            List<Worker> candidates = registry.workersOf(grid).stream()
                    .filter(w -> w.getRole() == Worker.Role.GRID_WORKER)
                    .filter(w -> needs.skill() == null || w.getSkillsList().contains(needs.skill()))
                    .filter(w -> !needs.excluded().contains(w.getId()))
                    .toList();
            if (candidates.isEmpty()) {
                continue;
            }
            List<String> ids = candidates.stream().map(Worker::getId).toList();
            Map<String, Status> status = lookup.status(ids);
            ZonedDateTime local = now.atZone(ZoneId.of(registry.timeZoneOf(grid)));
            List<Worker> onDuty = candidates.stream().filter(w -> onDuty(w, status.get(w.getId()), local)).toList();
            if (onDuty.isEmpty()) {
                continue;
            }
            Map<String, Integer> load = lookup.load(onDuty.stream().map(Worker::getId).toList());
            Ranked best = onDuty.stream()
                    .map(w -> new Ranked(w, load.getOrDefault(w.getId(), 0), metres(needs.position(),
                            status.get(w.getId()))))
                    .min(Comparator.comparingInt(Ranked::load).thenComparingDouble(Ranked::metres)
                            .thenComparing(r -> r.worker().getId()))
                    .orElseThrow();
            String where = grid.equals(needs.gridId()) ? "grid " + grid
                    : "neighbouring grid " + grid + " (none available in " + needs.gridId() + ")";
            String distance = Double.isInfinite(best.metres()) ? "" : " and nearest (%.0f m)".formatted(best.metres());
            return new Decision(Optional.of(best.worker()), "least loaded (%d open)%s of %d on duty%s in %s"
                    .formatted(best.load(), distance, onDuty.size(), skill, where));
        }
        return new Decision(Optional.empty(), "nobody on duty" + skill + " in grid " + needs.gridId()
                + " or its neighbours" + (needs.excluded().isEmpty() ? "" : " (declined or timed out: "
                + String.join(", ", needs.excluded().stream().sorted().toList()) + ")"));
    }

    /** A worker who said they are on or off duty is taken at their word; otherwise their shifts decide. */
    static boolean onDuty(Worker worker, Status status, ZonedDateTime local) {
        return status != null && status.onDuty() != null ? status.onDuty() : Shifts.onDuty(worker, local);
    }

    /** Great-circle distance in metres; infinite when either position is unknown (ranked last). */
    static double metres(double[] from, Status to) {
        if (from == null || to == null || to.position() == null) {
            return Double.POSITIVE_INFINITY;
        }
        double lat1 = Math.toRadians(from[0]);
        double lat2 = Math.toRadians(to.position()[0]);
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(to.position()[1] - from[1]);
        double a = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
    }
}
