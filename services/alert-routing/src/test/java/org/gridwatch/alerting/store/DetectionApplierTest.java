package org.gridwatch.alerting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.AlertState;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** The alert table against a real PostgreSQL: the database, not the code, keeps one active alert per subject and kind. */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class DetectionApplierTest {

    private static final Location PLACE = Location.newBuilder().setGridId("g1").setUnitId("u1").build();

    @Inject
    DetectionApplier alerts;

    @Inject
    AlertQueries queries;

    @Inject
    AlertRouting routing;

    private static Detection detection(String subject, String id, Detection.Phase phase, Severity severity) {
        Instant now = Instant.now();
        return Detection.newBuilder().setDetectionId(id).setPhase(phase).setKind("vital-signs.heart-rate")
                .setSeverity(severity).setSubjectId(subject).setDeviceId(subject).setDetectedAt(Timestamps.of(now))
                .setConditionSince(Timestamps.of(now.minusSeconds(60))).setSummary("test").build();
    }

    private List<Alert> active(String subject) throws Exception {
        return queries.list(AlertQueries.Filter.ALL, null, 1000).stream()
                .filter(a -> a.subjectId().equals(subject) && a.state().active()).toList();
    }

    @Test
    void fiftyDetectionsAtOnceOpenOneAlertCountedFiftyTimes() throws Exception {
        String subject = "mat-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<Optional<AlertEvent>>> raises = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Detection d = detection(subject, subject + ":" + i, Detection.Phase.RAISED, Severity.WARNING);
            raises.add(() -> alerts.apply(d, PLACE));
        }
        List<AlertEvent.Type> types = new ArrayList<>();
        for (Future<Optional<AlertEvent>> result : pool.invokeAll(raises)) {
            types.add(result.get().orElseThrow().getType());
        }
        pool.shutdown();

        assertThat(active(subject)).singleElement().satisfies(alert -> {
            assertThat(alert.repeatCount()).isEqualTo(50);
            assertThat(alert.state()).isEqualTo(AlertState.OPEN);
            assertThat(alert.place().gridId()).isEqualTo("g1");
        });
        assertThat(types).filteredOn(t -> t == AlertEvent.Type.TYPE_OPENED).hasSize(1);
        assertThat(types).filteredOn(t -> t == AlertEvent.Type.TYPE_REPEATED).hasSize(49);
    }

    @Test
    void aRedeliveredDetectionChangesNothingAndAHigherSeverityUpgradesTheAlert() throws Exception {
        String subject = "mat-" + UUID.randomUUID();
        Detection warning = detection(subject, subject + ":w", Detection.Phase.RAISED, Severity.WARNING);

        assertThat(alerts.apply(warning, PLACE)).map(AlertEvent::getType).contains(AlertEvent.Type.TYPE_OPENED);
        assertThat(alerts.apply(warning, PLACE)).isEmpty();
        assertThat(alerts.apply(detection(subject, subject + ":c", Detection.Phase.RAISED, Severity.CRITICAL), PLACE))
                .map(AlertEvent::getType).contains(AlertEvent.Type.TYPE_SEVERITY_CHANGED);
        assertThat(active(subject)).singleElement().satisfies(alert -> {
            assertThat(alert.severity()).isEqualTo("CRITICAL");
            assertThat(alert.repeatCount()).isEqualTo(2);
        });
    }

    @Test
    void aClearResolvesTheAlertAndTheNextDetectionOpensANewOne() throws Exception {
        String subject = "mat-" + UUID.randomUUID();
        alerts.apply(detection(subject, subject + ":1", Detection.Phase.RAISED, Severity.CRITICAL), PLACE);
        UUID first = active(subject).get(0).alertId();

        Optional<AlertEvent> cleared = alerts.apply(
                detection(subject, subject + ":1:clear", Detection.Phase.CLEARED, Severity.CRITICAL), PLACE);

        assertThat(cleared).map(AlertEvent::getType).contains(AlertEvent.Type.TYPE_RESOLVED);
        assertThat(active(subject)).isEmpty();
        assertThat(queries.get(first)).map(Alert::resolvedBy).contains("system:auto-clear");

        alerts.apply(detection(subject, subject + ":2", Detection.Phase.RAISED, Severity.WARNING), PLACE);

        assertThat(active(subject)).singleElement().extracting(Alert::alertId).isNotEqualTo(first);
        assertThat(queries.detections(first)).as("the first alert links the detections that raised and cleared it")
                .extracting(AlertQueries.AppliedDetection::detectionId).containsExactly(subject + ":1", subject + ":1:clear");
        assertThat(queries.detections(active(subject).get(0).alertId()))
                .extracting(AlertQueries.AppliedDetection::detectionId).containsExactly(subject + ":2");
    }

    @Test
    void aBatchMixingRepeatsClearsAndNewAlertsHasTheEffectOfItsDetectionsOneByOne() throws Exception {
        String open = "mat-" + UUID.randomUUID();
        String cleared = "mat-" + UUID.randomUUID();
        String fresh = "mat-" + UUID.randomUUID();
        alerts.apply(detection(open, open + ":0", Detection.Phase.RAISED, Severity.WARNING), PLACE);
        alerts.apply(detection(cleared, cleared + ":0", Detection.Phase.RAISED, Severity.WARNING), PLACE);
        UUID clearedFirst = active(cleared).get(0).alertId();

        List<Optional<AlertEvent>> events = alerts.applyAll(List.of(
                placed(detection(open, open + ":1", Detection.Phase.RAISED, Severity.WARNING)),
                placed(detection(cleared, cleared + ":1", Detection.Phase.RAISED, Severity.WARNING)),
                placed(detection(fresh, fresh + ":1", Detection.Phase.RAISED, Severity.WARNING)),
                placed(detection(open, open + ":2", Detection.Phase.RAISED, Severity.CRITICAL)),
                placed(detection(cleared, cleared + ":clear", Detection.Phase.CLEARED, Severity.WARNING)),
                placed(detection(open, open + ":1", Detection.Phase.RAISED, Severity.WARNING)),
                placed(detection(fresh, fresh + ":2", Detection.Phase.RAISED, Severity.WARNING)),
                placed(detection(cleared, cleared + ":2", Detection.Phase.RAISED, Severity.WARNING))));

        assertThat(events).extracting(e -> e.map(AlertEvent::getType).orElse(null)).containsExactly(
                AlertEvent.Type.TYPE_REPEATED, AlertEvent.Type.TYPE_REPEATED, AlertEvent.Type.TYPE_OPENED,
                AlertEvent.Type.TYPE_SEVERITY_CHANGED, AlertEvent.Type.TYPE_RESOLVED, null,
                AlertEvent.Type.TYPE_REPEATED, AlertEvent.Type.TYPE_OPENED);
        assertThat(events).extracting(e -> e.map(AlertEvent::getRepeatCount).orElse(0))
                .containsExactly(2, 2, 1, 3, 2, 0, 2, 1);
        assertThat(active(open)).singleElement().satisfies(alert -> {
            assertThat(alert.repeatCount()).isEqualTo(3);
            assertThat(alert.severity()).isEqualTo("CRITICAL");
        });
        assertThat(active(cleared)).singleElement().extracting(Alert::alertId).isNotEqualTo(clearedFirst);
        assertThat(active(fresh)).singleElement().extracting(Alert::repeatCount).isEqualTo(2);
    }

    @Test
    void detectionsOfOneOpenAlertInABatchAreEachCountedAndShownAsTheyLeftIt() throws Exception {
        String subject = "mat-" + UUID.randomUUID();
        alerts.apply(detection(subject, subject + ":0", Detection.Phase.RAISED, Severity.WARNING), PLACE);
        Instant latest = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        Detection late = detection(subject, subject + ":late", Detection.Phase.RAISED, Severity.WARNING).toBuilder()
                .setDetectedAt(Timestamps.of(latest)).setSummary("the latest").build();
        // Out of time order on purpose: last seen is the latest detection time, not the last one applied.
        Detection early = detection(subject, subject + ":early", Detection.Phase.RAISED, Severity.WARNING).toBuilder()
                .setDetectedAt(Timestamps.of(latest.minusSeconds(20))).setSummary("applied last").build();

        List<Optional<AlertEvent>> events = alerts.applyAll(List.of(
                placed(detection(subject, subject + ":1", Detection.Phase.RAISED, Severity.WARNING)),
                placed(late),
                placed(detection(subject, subject + ":2", Detection.Phase.RAISED, Severity.CRITICAL)),
                placed(detection(subject, subject + ":3", Detection.Phase.RAISED, Severity.WARNING)),
                placed(early)));

        assertThat(events).extracting(e -> e.orElseThrow().getType()).containsExactly(
                AlertEvent.Type.TYPE_REPEATED, AlertEvent.Type.TYPE_REPEATED, AlertEvent.Type.TYPE_SEVERITY_CHANGED,
                AlertEvent.Type.TYPE_REPEATED, AlertEvent.Type.TYPE_REPEATED);
        assertThat(events).extracting(e -> e.orElseThrow().getRepeatCount()).containsExactly(2, 3, 4, 5, 6);
        assertThat(events).extracting(e -> e.orElseThrow().getSeverity()).containsExactly(
                Severity.WARNING, Severity.WARNING, Severity.CRITICAL, Severity.CRITICAL, Severity.CRITICAL);
        assertThat(events.get(1)).map(e -> Timestamps.toInstant(e.getLastSeen())).contains(latest);
        assertThat(events.get(4)).map(e -> Timestamps.toInstant(e.getLastSeen())).contains(latest);
        assertThat(active(subject)).singleElement().satisfies(alert -> {
            assertThat(alert.repeatCount()).isEqualTo(6);
            assertThat(alert.severity()).isEqualTo("CRITICAL");
            assertThat(alert.lastSeen()).isEqualTo(latest);
            assertThat(alert.lastDetectionId()).isEqualTo(subject + ":early");
            assertThat(alert.summary()).isEqualTo("applied last");
        });
    }

    /**
     * The database goes away after the batch's first statements (detections marked seen, a repeat
     * counted, a new alert inserted) and before its events are written: nothing of the batch may
     * stay committed, or the retry would find its detections seen and drop them.
     */
    @Test
    void aBatchThatFailsAfterItsFirstStatementsCommitsNothingAndIsAppliedOnceOnRetry() throws Exception {
        String open = "mat-" + UUID.randomUUID();
        String fresh = "mat-" + UUID.randomUUID();
        alerts.apply(detection(open, open + ":0", Detection.Phase.RAISED, Severity.WARNING), PLACE);
        UUID openAlert = active(open).get(0).alertId();
        List<DetectionApplier.Placed> batch = List.of(
                placed(detection(open, open + ":1", Detection.Phase.RAISED, Severity.WARNING)),
                placed(detection(fresh, fresh + ":1", Detection.Phase.RAISED, Severity.CRITICAL)));
        AlertRouting real = ClientProxy.unwrap(routing);
        AtomicBoolean failed = new AtomicBoolean();
        QuarkusMock.installMockForType(new AlertRouting() {
            @Override
            Routed route(Handle handle, Alert alert, Instant now) throws SQLException {
                if (failed.compareAndSet(false, true)) {
                    throw new SQLException("connection lost while routing the new alert (injected)", "08006");
                }
                return real.route(handle, alert, now);
            }
        }, AlertRouting.class);

        assertThatThrownBy(() -> alerts.applyAll(batch)).hasMessageContaining("injected");

        assertThat(active(open)).singleElement().extracting(Alert::repeatCount)
                .as("the repeat counted before the failure is not kept").isEqualTo(1);
        assertThat(active(fresh)).as("the alert inserted before the failure is not kept").isEmpty();

        List<Optional<AlertEvent>> retried = alerts.applyAll(batch);

        assertThat(retried).extracting(e -> e.map(AlertEvent::getType).orElse(null)).as("the retry applies the batch")
                .containsExactly(AlertEvent.Type.TYPE_REPEATED, AlertEvent.Type.TYPE_OPENED);
        assertThat(active(open)).singleElement().extracting(Alert::repeatCount).isEqualTo(2);
        assertThat(queries.history(openAlert)).extracting(AlertQueries.HistoryEntry::type)
                .containsExactly("OPENED", "REPEATED");
        assertThat(active(fresh)).singleElement().satisfies(alert -> {
            assertThat(queries.history(alert.alertId())).extracting(AlertQueries.HistoryEntry::type)
                    .as("opened once, with its event").containsExactly("OPENED");
            assertThat(alert.routing().policyId()).as("routed on the retry").isNotNull();
        });
        assertThat(alerts.applyAll(batch)).as("applied once: a third delivery changes nothing")
                .allSatisfy(event -> assertThat(event).isEmpty());
    }

    private static DetectionApplier.Placed placed(Detection detection) {
        return new DetectionApplier.Placed(detection, PLACE, "");
    }
}
