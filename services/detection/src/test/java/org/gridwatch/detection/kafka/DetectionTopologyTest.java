package org.gridwatch.detection.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.gridwatch.contract.Serdes.DetectionSerde;
import org.gridwatch.contract.Serdes.ReadingSerde;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.registryview.RegistryState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The detection topology on a controllable clock: event time for vitals, wall clock for silence. */
class DetectionTopologyTest {

    private static final Instant START = Instant.parse("2026-11-27T02:00:00Z");

    private RegistryState registry;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Reading> readings;
    private TestOutputTopic<String, Detection> detections;
    private int sequence;

    @BeforeEach
    void start() {
        registry = TestConfig.shippedRules();
        registry.apply("device/mat-1", RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId("mat-1")
                .setAreaId("b1-101").setSensorType("mattress").setPower(Device.Power.MAINS)).build());
        registry.apply("device/door-1", RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId("door-1")
                .setAreaId("b1-101").setSensorType("door-contact").setPower(Device.Power.BATTERY)).build());
        Properties props = TestConfig.driverProperties("detection-test");
        driver = new TopologyTestDriver(DetectionTopology.build(TestConfig.defaults(), registry), props, START);
        readings = driver.createInputTopic(Topics.READINGS, Serdes.String().serializer(), new ReadingSerde());
        detections = driver.createOutputTopic(Topics.DETECTIONS, Serdes.String().deserializer(), new DetectionSerde());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void mattress(Instant observedAt, double heartRate, double inBed) {
        Reading reading = Reading.newBuilder().setEventId("e" + (++sequence)).setDeviceId("mat-1").setGatewayId("gw")
                .setSensorType("mattress").setObservedAt(Timestamps.of(observedAt)).setReceivedAt(Timestamps.of(observedAt))
                .putValues("heartRate", heartRate).putValues("inBed", inBed).build();
        readings.pipeInput("mat-1", reading, observedAt);
    }

    /** Samples every 5 s from {@code from} for {@code seconds}. */
    private Instant trace(Instant from, int seconds, double heartRate) {
        Instant at = from;
        for (int s = 0; s <= seconds; s += 5) {
            at = from.plusSeconds(s);
            mattress(at, heartRate, 1);
        }
        return at;
    }

    @Test
    void heartRate140InBedFor60SecondsRaisesOneCriticalDetectionWithItsEvidence() {
        trace(START, 55, 140);
        assertThat(detections.readValuesToList()).as("55 s is not yet sustained").isEmpty();

        trace(START.plusSeconds(60), 30, 140);

        List<Detection> raised = detections.readValuesToList();
        assertThat(raised).hasSize(1);
        Detection detection = raised.get(0);
        assertThat(detection.getPhase()).isEqualTo(Detection.Phase.RAISED);
        assertThat(detection.getKind()).isEqualTo("vital-signs.heart-rate");
        assertThat(detection.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(detection.getAreaId()).isEqualTo("b1-101");
        assertThat(Timestamps.toInstant(detection.getConditionSince())).isEqualTo(START);
        assertThat(detection.getEvidence().getRuleId()).isEqualTo("V1");
        assertThat(detection.getEvidence().getRuleVersion()).isEqualTo(1);
        assertThat(detection.getEvidence().getThresholdsMap()).containsEntry("sustainSeconds", 60.0)
                .containsEntry("CRITICAL.atOrAbove", 131.0);
        assertThat(detection.getSummary()).isEqualTo("heartRate 140 bpm, CRITICAL band, for 60 s");
        assertThat(detection.getEvidence().getReadingsList()).hasSize(13)
                .allSatisfy(r -> assertThat(r.getValuesMap()).containsEntry("heartRate", 140.0));
    }

    @Test
    void aWarningRunThatTurnsCriticalIsUpgradedAndNormalSamplesClearItOnlyAfterTheSustainTime() {
        Instant at = trace(START, 60, 115);
        at = trace(at.plusSeconds(5), 60, 135);
        at = trace(at.plusSeconds(5), 30, 70);
        assertThat(detections.readValuesToList()).extracting(Detection::getPhase, Detection::getSeverity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Detection.Phase.RAISED, Severity.WARNING),
                        org.assertj.core.groups.Tuple.tuple(Detection.Phase.RAISED, Severity.CRITICAL));

        trace(at.plusSeconds(5), 30, 70);

        assertThat(detections.readValuesToList()).singleElement()
                .extracting(Detection::getPhase).isEqualTo(Detection.Phase.CLEARED);
    }

    @Test
    void shortSpikesOutOfBedAndGapsDoNotRaiseAnything() {
        trace(START, 40, 140);
        mattress(START.plusSeconds(45), 72, 1);
        trace(START.plusSeconds(50), 40, 140);
        for (int s = 0; s <= 120; s += 5) {
            mattress(START.plusSeconds(100 + s), 150, 0);
        }
        mattress(START.plusSeconds(300), 140, 1);
        mattress(START.plusSeconds(400), 140, 1);

        assertThat(detections.isEmpty()).isTrue();
    }

    @Test
    void aMainsDeviceSilentForTenMinutesIsReportedOfflineOnceAndClearedWhenItSendsAgain() {
        mattress(START, 70, 1);

        driver.advanceWallClockTime(Duration.ofMinutes(9));
        assertThat(detections.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMinutes(1).plusSeconds(10));
        driver.advanceWallClockTime(Duration.ofMinutes(5));

        Detection offline = detections.readValue();
        assertThat(offline.getKind()).isEqualTo("device.offline");
        assertThat(offline.getPhase()).isEqualTo(Detection.Phase.RAISED);
        assertThat(offline.getEvidence().getReadings(0).getEventId()).isEqualTo("e1");
        assertThat(detections.isEmpty()).as("raised once, not on every check").isTrue();

        mattress(START.plusSeconds(16 * 60), 70, 1);

        assertThat(detections.readValue().getPhase()).isEqualTo(Detection.Phase.CLEARED);
    }

    @Test
    void silenceIsRaisedWithinASecondOfFallingDueNotAtTheNextCoarseScan() {
        mattress(START, 70, 1);

        tick(Duration.ofMinutes(10));
        assertThat(detections.isEmpty()).as("exactly 10 min is still allowed").isTrue();
        tick(Duration.ofSeconds(2));

        Detection offline = detections.readValue();
        assertThat(Timestamps.toInstant(offline.getDetectedAt()))
                .isBetween(START.plusSeconds(600), START.plusSeconds(602));
    }

    @Test
    void aSilenceRuleAddedLaterWatchesDevicesAlreadySeen() {
        mattress(START, 70, 1);
        tick(Duration.ofSeconds(5));
        registry.apply("rule/T2", RegistryRecord.newBuilder().setRule(Rule.newBuilder().setId("T2").setVersion(1)
                .setKind("test.quiet").addSensorTypes("mattress")
                .setNoData(Rule.NoData.newBuilder().setAfterSeconds(60).setSeverity(Severity.INFO))).build());

        tick(Duration.ofSeconds(70));

        Detection quiet = detections.readValue();
        assertThat(quiet.getKind()).isEqualTo("test.quiet");
        assertThat(Timestamps.toInstant(quiet.getDetectedAt())).isBetween(START.plusSeconds(60), START.plusSeconds(62));
    }

    /** Moves the wall clock a second at a time, as it passes live. */
    private void tick(Duration duration) {
        for (long second = 0; second < duration.toSeconds(); second++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    @Test
    void aBatteryDeviceGetsTwentyFiveHours() {
        Reading door = Reading.newBuilder().setEventId("d1").setDeviceId("door-1").setObservedAt(Timestamps.of(START))
                .setReceivedAt(Timestamps.of(START)).putValues("open", 0).build();
        readings.pipeInput("door-1", door, START);

        driver.advanceWallClockTime(Duration.ofHours(24));
        assertThat(detections.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofHours(1).plusMinutes(1));

        assertThat(detections.readValue().getDeviceId()).isEqualTo("door-1");
    }

    @Test
    void aRuleAddedToTheRegistryAppliesFromTheNextReadingAndADisabledOneStops() {
        registry.apply("rule/T1", RegistryRecord.newBuilder().setRule(Rule.newBuilder().setId("T1").setVersion(1)
                .setKind("test.door-open").addSensorTypes("door-contact").addAreaIds("b1-101")
                .setThreshold(Rule.Threshold.newBuilder().setField("open").addLevels(Rule.Level.newBuilder()
                        .setSeverity(Severity.WARNING).setAtOrAbove(1)))).build());
        Reading open = Reading.newBuilder().setEventId("o1").setDeviceId("door-1").setObservedAt(Timestamps.of(START))
                .setReceivedAt(Timestamps.of(START)).putValues("open", 1).build();

        readings.pipeInput("door-1", open, START);

        Detection raised = detections.readValue();
        assertThat(raised.getKind()).isEqualTo("test.door-open");
        assertThat(raised.getEvidence().getRuleId()).isEqualTo("T1");

        registry.apply("rule/V1", RegistryRecord.newBuilder().setRule(registry.rule("V1").orElseThrow().toBuilder()
                .setDisabled(true).setVersion(2)).build());
        trace(START, 90, 140);
        assertThat(detections.isEmpty()).as("V1 switched off").isTrue();
    }

    @Test
    void aResidentsOwnThresholdsReplaceTheDefaultsForTheDevicesOfTheirHome() {
        Rule v1 = registry.rule("V1").orElseThrow();
        registry.apply("rule/V1", RegistryRecord.newBuilder().setRule(v1.toBuilder().setVersion(2)
                .addOverrides(Rule.Override.newBuilder().addAreaIds("b1-101").setReason("resting pulse 45")
                        .addLevels(Rule.Level.newBuilder().setSeverity(Severity.WARNING).setAtOrBelow(38))
                        .setSustainSeconds(30))).build());

        trace(START, 90, 45);
        assertThat(detections.isEmpty()).as("45 bpm is this resident's normal").isTrue();

        trace(START.plusSeconds(100), 40, 36);
        assertThat(detections.readValuesToList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(d.getEvidence().getRuleVersion()).isEqualTo(2);
            assertThat(d.getEvidence().getThresholdsMap()).containsEntry("WARNING.atOrBelow", 38.0)
                    .containsEntry("sustainSeconds", 30.0);
        });
    }

    @Test
    void aRuleScopedToAnotherAreaLeavesTheDeviceAlone() {
        registry.apply("rule/T2", RegistryRecord.newBuilder().setRule(Rule.newBuilder().setId("T2").setVersion(1)
                .setKind("test.door-open").addSensorTypes("door-contact").addAreaIds("elsewhere")
                .setThreshold(Rule.Threshold.newBuilder().setField("open").addLevels(Rule.Level.newBuilder()
                        .setSeverity(Severity.WARNING).setAtOrAbove(1)))).build());

        readings.pipeInput("door-1", Reading.newBuilder().setEventId("o2").setDeviceId("door-1")
                .setObservedAt(Timestamps.of(START)).setReceivedAt(Timestamps.of(START)).putValues("open", 1).build(), START);

        assertThat(detections.isEmpty()).isTrue();
    }

    @Test
    void aRuleSwitchedOffForOneAreaStillRunsEverywhereElse() {
        registry.apply("device/door-2", RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId("door-2")
                .setAreaId("b2-101").setSensorType("door-contact").setPower(Device.Power.BATTERY)).build());
        registry.apply("rule/T3", RegistryRecord.newBuilder().setRule(Rule.newBuilder().setId("T3").setVersion(1)
                .setKind("test.door-open").addSensorTypes("door-contact").addExcludedAreaIds("b1-101")
                .setThreshold(Rule.Threshold.newBuilder().setField("open").addLevels(Rule.Level.newBuilder()
                        .setSeverity(Severity.WARNING).setAtOrAbove(1)))).build());

        for (String door : List.of("door-1", "door-2")) {
            readings.pipeInput(door, Reading.newBuilder().setEventId("o-" + door).setDeviceId(door)
                    .setObservedAt(Timestamps.of(START)).setReceivedAt(Timestamps.of(START)).putValues("open", 1).build(),
                    START);
        }

        assertThat(detections.readValuesToList()).extracting(Detection::getDeviceId).containsExactly("door-2");
    }
}
