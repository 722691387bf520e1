package org.gridwatch.dispatch.deadline;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.dispatch.store.TaskStore;
import org.gridwatch.outbox.SqlRetry;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Looks for tasks whose stage deadline has passed, every second. The deadlines are columns of the
 * tasks, taken with {@code FOR UPDATE SKIP LOCKED}: each is handled once, whatever the number of
 * replicas, and one that passed while the service was down is handled when it is back.
 */
@ApplicationScoped
public class DeadlineTimer {

    private static final Logger LOG = Logger.getLogger(DeadlineTimer.class);
    private static final int BATCH = 200;

    @Inject
    TaskStore tasks;

    @Inject
    RegistryViewBean registry;

    @Inject
    MeterRegistry metrics;

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void runDue() throws InterruptedException {
        // Escalating needs the hierarchy's people; wait for the registry rather than escalate to nobody.
        if (!registry.awaitCaughtUp(Duration.ofSeconds(1))) {
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
