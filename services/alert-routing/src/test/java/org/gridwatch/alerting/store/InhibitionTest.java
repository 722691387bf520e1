package org.gridwatch.alerting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.AlertState;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Inhibition against a real PostgreSQL: a confirmed fire hides its building's single smoke and
 * heat alerts and nothing else; a gateway offline hides its devices' offline alerts and no other
 * gateway's; when the source resolves, nothing is hidden any more.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class InhibitionTest {

    @Inject
    DetectionApplier alerts;

    @Inject
    AlertQueries queries;

    private String open(String kind, Severity severity, String building, String gateway) throws Exception {
        return open(kind, severity, building, gateway, "dev-" + UUID.randomUUID());
    }

    private String open(String kind, Severity severity, String building, String gateway, String subject)
            throws Exception {
        Detection detection = Detection.newBuilder().setDetectionId(subject + ":" + kind).setPhase(Detection.Phase.RAISED)
                .setKind(kind).setSeverity(severity).setSubjectId(subject).setDeviceId(subject)
                .setDetectedAt(Timestamps.of(Instant.now())).setSummary("test").build();
        AlertEvent event = alerts.applyAll(List.of(new DetectionApplier.Placed(detection,
                Location.newBuilder().setBuildingId(building).build(), gateway))).get(0).orElseThrow();
        return event.getAlertId();
    }

    private UUID hiddenBy(String alertId) throws Exception {
        return queries.get(UUID.fromString(alertId)).orElseThrow().inhibitedBy();
    }

    @Test
    void aConfirmedFireHidesItsBuildingsSingleSmokeAndHeatAlertsAndNothingElse() throws Exception {
        String building = "b-" + UUID.randomUUID();
        String cooking = open("fire.smoke", Severity.WARNING, building, "");
        String heat = open("fire.heat", Severity.CRITICAL, building, "");
        String heatNextDoor = open("fire.heat", Severity.CRITICAL, "b-" + UUID.randomUUID(), "");
        String elevator = open("elevator.trapped", Severity.CRITICAL, building, "");
        assertThat(hiddenBy(cooking)).as("no fire confirmed yet").isNull();

        String fire = open("fire.smoke", Severity.CRITICAL, building, "");

        assertThat(hiddenBy(cooking)).isEqualTo(UUID.fromString(fire));
        assertThat(hiddenBy(heat)).isEqualTo(UUID.fromString(fire));
        assertThat(hiddenBy(fire)).as("the source itself").isNull();
        assertThat(hiddenBy(heatNextDoor)).as("another building").isNull();
        assertThat(hiddenBy(elevator)).as("another kind").isNull();

        Detection clear = Detection.newBuilder().setDetectionId(UUID.randomUUID() + ":clear")
                .setPhase(Detection.Phase.CLEARED).setKind("fire.smoke")
                .setSubjectId(queries.get(UUID.fromString(fire)).orElseThrow().subjectId())
                .setDetectedAt(Timestamps.of(Instant.now())).build();
        alerts.apply(clear, Location.getDefaultInstance());
        assertThat(hiddenBy(heat)).as("the fire resolved").isNull();
    }

    @Test
    void aGatewayOfflineHidesTheOfflineAlertsOfItsOwnDevicesOnly() throws Exception {
        String gateway = "gw-" + UUID.randomUUID();
        String behind = open("device.offline", Severity.WARNING, "", gateway);
        String elsewhere = open("device.offline", Severity.WARNING, "", "gw-" + UUID.randomUUID());

        String down = open("gateway.offline", Severity.WARNING, "", "", gateway);

        assertThat(hiddenBy(behind)).isEqualTo(UUID.fromString(down));
        assertThat(hiddenBy(elsewhere)).isNull();
        assertThat(queries.get(UUID.fromString(behind)).orElseThrow().state()).as("still recorded").isEqualTo(AlertState.OPEN);
    }
}
