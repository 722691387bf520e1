package org.gridwatch.dispatch.deadline;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.dispatch.DispatchConfig;
import org.gridwatch.dispatch.store.DeadlineRunner;
import org.gridwatch.plumbing.commit.Pump;
import org.gridwatch.plumbing.retry.SqlRetry;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Looks for tasks whose stage deadline has passed every {@code gridwatch.dispatch.deadline-check}
 * (an index lookup that usually finds nothing), so a deadline is acted on within that of passing.
 * The deadlines are columns of the tasks, taken with {@code FOR UPDATE SKIP LOCKED}: each is
 * handled once, whatever the number of replicas, and one that passed while the service was down
 * is handled when it is back. (Its own thread: the scheduler's timers tick once a second at best.)
 * What a missed deadline does is {@link org.gridwatch.dispatch.domain.MissedDeadline}'s to say.
 */
@ApplicationScoped
public class DeadlineTimer {

    private static final Logger LOG = Logger.getLogger(DeadlineTimer.class);
    private static final int BATCH = 200;

    @Inject
    DeadlineRunner deadlines;

    @Inject
    RegistryViewBean registry;

    @Inject
    MeterRegistry metrics;

    @Inject
    DispatchConfig config;

    private Pump pump;

    void start(@Observes StartupEvent start) {
        if (config.timers()) {
            pump = new Pump("deadline-timer", config.deadlineCheck(), Duration.ZERO, this::runDue);
            pump.start();
        }
    }

    @PreDestroy
    void stop() {
        if (pump != null) {
            pump.stop();
        }
    }

    /** Handles every deadline that has passed by now; returns how many. */
    public int runDue() {
        // Escalating needs the hierarchy's people; wait for the registry rather than escalate to nobody.
        try {
            if (!registry.awaitCaughtUp(config.deadlineCheck())) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        int total = 0;
        int handled;
        do {
            handled = SqlRetry.run("handling missed task deadlines", () -> deadlines.runDue(registry.state(), BATCH));
            if (handled > 0) {
                metrics.counter("gridwatch.tasks.deadlines.missed").increment(handled);
                LOG.infof("%d task deadline(s) missed: timed out, reassigned or escalated", handled);
            }
            total += handled;
        } while (handled == BATCH);
        return total;
    }
}
