package org.gridwatch.dispatch.deadline;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.dispatch.store.TaskStore;
import org.gridwatch.outbox.Pump;
import org.gridwatch.outbox.SqlRetry;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Looks for tasks whose stage deadline has passed, four times a second (an index lookup that
 * usually finds nothing), so a deadline is acted on within a quarter of a second. The deadlines
 * are columns of the tasks, taken with {@code FOR UPDATE SKIP LOCKED}: each is handled once,
 * whatever the number of replicas, and one that passed while the service was down is handled
 * when it is back. (Its own thread: the scheduler's timers tick once a second at best.)
 */
@ApplicationScoped
public class DeadlineTimer {

    private static final Logger LOG = Logger.getLogger(DeadlineTimer.class);
    private static final int BATCH = 200;
    private static final Duration PERIOD = Duration.ofMillis(250);

    @Inject
    TaskStore tasks;

    @Inject
    RegistryViewBean registry;

    @Inject
    MeterRegistry metrics;

    private final Pump pump = new Pump("deadline-timer", PERIOD, Duration.ZERO, this::runDue);

    void start(@Observes StartupEvent start) {
        pump.start();
    }

    @PreDestroy
    void stop() {
        pump.stop();
    }

    void runDue() {
        // Escalating needs the hierarchy's people; wait for the registry rather than escalate to nobody.
        try {
            if (!registry.awaitCaughtUp(PERIOD)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int handled;
        do {
            handled = SqlRetry.run("handling missed task deadlines", () -> tasks.runDue(registry.state(), BATCH));
            if (handled > 0) {
                metrics.counter("gridwatch.tasks.deadlines-missed").increment(handled);
                LOG.infof("%d task deadline(s) missed: timed out, reassigned or escalated", handled);
            }
        } while (handled == BATCH);
    }
}
