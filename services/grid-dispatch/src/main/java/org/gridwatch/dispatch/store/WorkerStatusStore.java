package org.gridwatch.dispatch.store;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.dispatch.domain.WorkerChoice;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** What workers' phones say of them (on duty or not, where they are) and how many tasks each has in hand. */
@ApplicationScoped
public class WorkerStatusStore {

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    /** A worker clocks in or out (null: leave it to the shifts) and tells where they are (null: unchanged). */
    public void setStatus(String workerId, Boolean onDuty, Double latitude, Double longitude) {
        boolean position = latitude != null && longitude != null;
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO dispatch.worker_status (worker_id, on_duty, latitude, longitude, position_at,
                            updated_at) VALUES (:workerId, :onDuty, :latitude, :longitude, :positionAt, :now)
                        ON CONFLICT (worker_id) DO UPDATE SET on_duty = EXCLUDED.on_duty,
                            latitude = coalesce(EXCLUDED.latitude, worker_status.latitude),
                            longitude = coalesce(EXCLUDED.longitude, worker_status.longitude),
                            position_at = coalesce(EXCLUDED.position_at, worker_status.position_at),
                            updated_at = EXCLUDED.updated_at""")
                .bind("workerId", workerId).bind("onDuty", onDuty)
                .bind("latitude", position ? latitude : null).bind("longitude", position ? longitude : null)
                .bind("positionAt", position ? clock.instant() : null).bind("now", clock.instant())
                .execute());
    }

    /** On-duty states, positions and loads of candidate workers, in the caller's transaction: two index lookups per grid tried. */
    static WorkerChoice.Lookup lookup(Handle handle) {
        return new WorkerChoice.Lookup() {
            @Override
            public Map<String, WorkerChoice.Status> status(Collection<String> workerIds) {
                return handle.createQuery("""
                                SELECT worker_id, on_duty, latitude, longitude FROM dispatch.worker_status
                                WHERE worker_id = ANY (:ids)""")
                        .bindArray("ids", String.class, workerIds)
                        .reduceRows(new java.util.HashMap<String, WorkerChoice.Status>(), (status, row) -> {
                            Double latitude = row.getColumn("latitude", Double.class);
                            Double longitude = row.getColumn("longitude", Double.class);
                            status.put(row.getColumn("worker_id", String.class), new WorkerChoice.Status(
                                    row.getColumn("on_duty", Boolean.class), latitude == null || longitude == null
                                    ? null : new double[] {latitude, longitude}));
                            return status;
                        });
            }

            @Override
            public Map<String, Integer> load(Collection<String> workerIds) {
                return handle.createQuery("""
                                SELECT worker_id, count(*)::int AS tasks FROM dispatch.task
                                WHERE worker_id = ANY (:ids) AND state IN ('ASSIGNED', 'ACCEPTED', 'ON_SITE')
                                GROUP BY worker_id""")
                        .bindArray("ids", String.class, workerIds)
                        .reduceRows(new java.util.HashMap<String, Integer>(), (load, row) -> {
                            load.put(row.getColumn("worker_id", String.class), row.getColumn("tasks", Integer.class));
                            return load;
                        });
            }
        };
    }
}
