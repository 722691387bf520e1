package org.gridwatch.alerting.routing;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.alerting.AlertingConfig;
import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.OpeningRoute;
import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.alerting.store.Escalations;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.plumbing.retry.SqlRetry;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Runs the escalation timers that are due (every replica does; each timer is taken by one) and
 * ends storms that have gone quiet, every {@code gridwatch.alerting.escalation.interval}. The
 * timers are rows in the database, so a restart loses none. What a due timer does is
 * {@link org.gridwatch.alerting.domain.Escalation}'s to say.
 */
@ApplicationScoped
public class EscalationTimer {

    private static final Logger LOG = Logger.getLogger(EscalationTimer.class);
    /**
     * Timers per transaction: each holds the journal lock, which detections wait for, so a wave of
     * escalations goes in short transactions that let live alerts through between them.
     */
    private static final int BATCH = 20;

    @Inject
    Escalations escalations;

    @Inject
    DetectionApplier detections;

    @Inject
    AlertingConfig config;

    @Inject
    Clock clock;

    @Scheduled(every = "${gridwatch.alerting.escalation.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void onSchedule() {
        if (config.timers()) {
            try {
                tick();
            } catch (RuntimeException e) {
                // Nothing is lost: the timers stay due and the next tick takes them.
                LOG.warnf("Escalation timers not run this time: %s", e.toString());
            }
        }
    }

    /** Runs every timer due by now and ends the storms that are over. */
    public void tick() {
        while (SqlRetry.run("running escalation timers", () -> escalations.runDue(BATCH)) == BATCH) {
            // More are due: keep going before the next tick.
        }
        for (Alert storm : escalations.quietStorms()) {
            endStorm(storm);
        }
    }

    /** Resolved as a cleared detection would: if two replicas end it at once, the detection id lets one through. */
    private void endStorm(Alert storm) {
        Detection cleared = Detection.newBuilder().setDetectionId("storm-over:" + storm.alertId())
                .setPhase(Detection.Phase.CLEARED).setKind(OpeningRoute.STORM_KIND).setSubjectId(storm.subjectId())
                .setDetectedAt(Timestamps.of(clock.instant()))
                .setSummary("The storm is over: no new alert in " + storm.place().communityId() + " for a storm window")
                .build();
        SqlRetry.run("ending the storm of " + storm.place().communityId(),
                () -> detections.apply(cleared, Location.getDefaultInstance()));
    }
}
