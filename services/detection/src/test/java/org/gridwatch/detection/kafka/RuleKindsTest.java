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
import org.gridwatch.contract.Serdes.GatewayStatusSerde;
import org.gridwatch.contract.Serdes.ReadingSerde;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Resident;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.registryview.RegistryState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules of every kind beyond plain thresholds, with the false-alarm traps of
 * detection-rules.md: night windows, elevator sequences and glitches, inspection mode, daily
 * inactivity and the resident's "away" flag.
 */
class RuleKindsTest {

    /** 22:30 in Shanghai, the unit's time zone. */
    private static final Instant NIGHT = Instant.parse("2026-11-27T14:30:00Z");

    private RegistryState registry;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Reading> readings;
    private TestInputTopic<String, GatewayStatus> statuses;
    private TestOutputTopic<String, Detection> detections;
    private int sequence;

    @BeforeEach
    void start() {
        registry = TestConfig.shippedRules();
        TestConfig.put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("district")
                .setLevel(AreaLevel.DISTRICT).setTimeZone("Asia/Shanghai")).build());
        TestConfig.put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("u1").setLevel(AreaLevel.UNIT)
                .setParentId("district")).build());
        TestConfig.put(registry, RegistryRecord.newBuilder().setGateway(Gateway.newBuilder().setId("gw-1").setAreaId("u1"))
                .build());
        device("mat-1", "mattress", Device.Power.MAINS);
        device("door-1", "door-contact", Device.Power.BATTERY);
        device("elev-1", "elevator", Device.Power.MAINS);
        TestConfig.put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("b1").setLevel(AreaLevel.BUILDING)
                .setParentId("district")).build());
        TestConfig.put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("b2").setLevel(AreaLevel.BUILDING)
                .setParentId("district")).build());
        TestConfig.put(registry, RegistryRecord.newBuilder().setArea(Area.newBuilder().setId("b1-kitchen")
                .setLevel(AreaLevel.UNIT).setParentId("b1")).build());
        placed("smoke-b1", "smoke", "b1-kitchen");
        placed("heat-b1", "heat", "b1");
        placed("heat-b2", "heat", "b2");
        device("heat-1", "heat", Device.Power.MAINS);
        device("heat-2", "heat", Device.Power.MAINS);
        device("mat-2", "mattress", Device.Power.MAINS);
        TestConfig.put(registry, RegistryRecord.newBuilder().setResident(Resident.newBuilder().setId("r1").setUnitId("u1")
                .addFlags("lives-alone")).build());
        Properties props = TestConfig.driverProperties("rule-kinds-test");
        driver = new TopologyTestDriver(DetectionTopology.build(TestConfig.defaults(), registry), props, NIGHT);
        readings = driver.createInputTopic(Topics.READINGS, Serdes.String().serializer(), new ReadingSerde());
        statuses = driver.createInputTopic(Topics.GATEWAY_STATUS, Serdes.String().serializer(), new GatewayStatusSerde());
        detections = driver.createOutputTopic(Topics.DETECTIONS, Serdes.String().deserializer(), new DetectionSerde());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void placed(String id, String type, String area) {
        TestConfig.put(registry, RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId(id).setAreaId(area)
                .setSensorType(type).setPower(Device.Power.MAINS)).build());
    }

    private void device(String id, String type, Device.Power power) {
        TestConfig.put(registry, RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId(id).setAreaId("u1")
                .setSensorType(type).setPower(power)).build());
    }

    private void send(String device, Instant at, double... pairs) {
        Reading.Builder reading = Reading.newBuilder().setEventId("e" + (++sequence)).setDeviceId(device)
                .setObservedAt(Timestamps.of(at)).setReceivedAt(Timestamps.of(at));
        String[] names = NAMES.get(device);
        for (int i = 0; i < pairs.length; i++) {
            reading.putValues(names[i], pairs[i]);
        }
        readings.pipeInput(device, reading.build(), at);
    }

    private static final java.util.Map<String, String[]> NAMES = java.util.Map.ofEntries(
            java.util.Map.entry("mat-1", new String[] {"inBed"}),
            java.util.Map.entry("door-1", new String[] {"open", "battery"}),
            java.util.Map.entry("elev-1", new String[] {"people", "level", "door", "direction", "inspection"}),
            java.util.Map.entry("heat-1", new String[] {"temperature"}),
            java.util.Map.entry("heat-2", new String[] {"temperature"}),
            java.util.Map.entry("smoke-b1", new String[] {"smoke"}),
            java.util.Map.entry("heat-b1", new String[] {"alarm", "temperature"}),
            java.util.Map.entry("heat-b2", new String[] {"alarm", "temperature"}),
            java.util.Map.entry("mat-2", new String[] {"inBed", "noBreath"}),
            java.util.Map.entry("elec-1", new String[] {"residualCurrent", "cableTemperature1", "cableTemperature2", "cableTemperature3", "cableTemperature4"}),
            java.util.Map.entry("elev-2", new String[] {"floor", "people", "level", "door", "direction", "inspection"}),
            java.util.Map.entry("pir-1", new String[] {"motion"}),
            java.util.Map.entry("pir-bath", new String[] {"motion"}),
            java.util.Map.entry("pir-living", new String[] {"motion"}));

    /** Elevator sample: people, level, door, direction, inspection. */
    private void elevator(Instant at, int people, int level, int door, int direction, int inspection) {
        send("elev-1", at, people, level, door, direction, inspection);
    }

    private List<Detection> out() {
        return detections.readValuesToList();
    }

    @Test
    void aBathroomTripAtNightRaisesNothingButABedEmptyForMoreThan45MinutesDoes() {
        send("mat-1", NIGHT.minusSeconds(60), 1);
        for (int m = 0; m <= 30; m++) {
            send("mat-1", NIGHT.plusSeconds(m * 60L), 0);
        }
        send("mat-1", NIGHT.plusSeconds(31 * 60L), 1);
        assertThat(out()).as("a 30 min bathroom trip").isEmpty();

        Instant later = NIGHT.plusSeconds(40 * 60L);
        for (int m = 0; m <= 50; m++) {
            send("mat-1", later.plusSeconds(m * 60L), 0);
        }

        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("daily-living.not-back-in-bed");
            assertThat(d.getEvidence().getRuleId()).isEqualTo("V4");
            assertThat(Timestamps.toInstant(d.getConditionSince())).isEqualTo(later);
        });
    }

    @Test
    void aLateBedtimeIsNotAnEmptyBedOnlyLeavingTheBedAfterwardsCounts() {
        Instant tenPm = NIGHT.minusSeconds(NIGHT.getEpochSecond() % 86400).plusSeconds(14 * 3600);
        for (int m = 0; m <= 90; m++) {
            send("mat-1", tenPm.plusSeconds(m * 60L), 0);
        }
        assertThat(out()).as("up until 23:30, not yet in bed").isEmpty();

        send("mat-1", tenPm.plusSeconds(91 * 60L), 1);
        for (int m = 92; m <= 140; m++) {
            send("mat-1", tenPm.plusSeconds(m * 60L), 0);
        }
        assertThat(out()).singleElement().satisfies(d -> assertThat(d.getEvidence().getRuleId()).isEqualTo("V4"));
    }

    @Test
    void outOfBedInTheDaytimeIsNotTheNightRule() {
        Instant noon = Instant.parse("2026-11-27T04:00:00Z");
        for (int m = 0; m <= 90; m++) {
            send("mat-1", noon.plusSeconds(m * 60L), 0);
        }
        assertThat(out()).isEmpty();
    }

    @Test
    void aFiveSecondDoorOpenGlitchWhileAcceleratingIsDroppedButARealOneIsRaised() {
        Instant t = NIGHT;
        elevator(t, 1, 1, 0, 0, 0);
        for (int s = 1; s <= 5; s++) {
            elevator(t.plusSeconds(s), 1, 0, 1, 1, 0);
        }
        elevator(t.plusSeconds(6), 1, 1, 0, 1, 0);
        assertThat(out()).as("a glitch that clears within 5 s").isEmpty();

        Instant u = t.plusSeconds(12);
        for (int s = 0; s <= 8; s++) {
            elevator(u.plusSeconds(s), 1, 0, 1, 1, 0);
        }
        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("elevator.running-with-door-open");
            assertThat(d.getSeverity()).isEqualTo(Severity.CRITICAL);
        });

        elevator(u.plusSeconds(9), 1, 1, 1, 0, 0);
        assertThat(out()).singleElement().extracting(Detection::getPhase).isEqualTo(Detection.Phase.CLEARED);
    }

    @Test
    void aDoorOpeningOutsideADoorZoneIsATransitionRaisedAtOnce() {
        elevator(NIGHT, 0, 0, 0, 1, 0);
        elevator(NIGHT.plusSeconds(1), 0, 0, 1, 1, 0);

        assertThat(out()).extracting(Detection::getKind).containsExactly("elevator.door-opened-while-running");
    }

    @Test
    void passengersShutInAreRaisedAfter20SecondsExceptInInspectionModeAndTheDoorOpeningClearsIt() {
        for (int s = 0; s <= 40; s += 2) {
            elevator(NIGHT.plusSeconds(s), 1, 1, 0, 0, 1);
        }
        assertThat(out()).as("inspection mode").isEmpty();

        Instant t = NIGHT.plusSeconds(60);
        for (int s = 0; s <= 18; s += 2) {
            elevator(t.plusSeconds(s), 1, 1, 0, 0, 0);
        }
        assertThat(out()).as("18 s").isEmpty();
        elevator(t.plusSeconds(20), 1, 1, 0, 0, 0);
        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("elevator.trapped");
            assertThat(d.getSeverity()).isEqualTo(Severity.CRITICAL);
        });

        elevator(t.plusSeconds(22), 1, 1, 1, 0, 0);
        assertThat(out()).singleElement().extracting(Detection::getPhase).isEqualTo(Detection.Phase.CLEARED);
    }

    @Test
    void aDoorNotOpenedFor24HoursIsRaisedOnTheWallClockAndTheNextOpeningClearsIt() {
        send("door-1", NIGHT, 0, 90);
        hourly("door-1", NIGHT, 23, 0, 90);
        driver.advanceWallClockTime(Duration.ofMinutes(59));
        assertThat(out()).isEmpty();

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("daily-living.no-door-activity");
            assertThat(d.getEvidence().getRuleId()).isEqualTo("I1");
        });

        send("door-1", NIGHT.plus(Duration.ofHours(24).plusMinutes(5)), 1, 90);
        assertThat(out()).singleElement().extracting(Detection::getPhase).isEqualTo(Detection.Phase.CLEARED);
    }

    @Test
    void heatRisingFastIsRaisedByRateOfRiseWhileASlowFireIsLeftToTheFixedTemperature() {
        double temperature = 30;
        for (int s = 0; s <= 30 * 60; s += 10) {
            send("heat-1", NIGHT.plusSeconds(s), temperature);
            temperature += 1.0 / 6;
        }
        assertThat(out()).extracting(d -> d.getEvidence().getRuleId()).as("1 degC/min up to 60 degC").containsExactly("F2");

        Instant kitchen = NIGHT.plusSeconds(3600);
        for (int s = 0; s <= 60; s += 10) {
            send("heat-2", kitchen.plusSeconds(s), 22 + s / 6.0);
        }
        assertThat(out()).extracting(d -> d.getEvidence().getRuleId() + " " + d.getSeverity())
                .containsExactly("F3 CRITICAL");

        for (int s = 70; s <= 200; s += 10) {
            send("heat-2", kitchen.plusSeconds(s), 32);
        }
        assertThat(out()).extracting(d -> d.getEvidence().getRuleId() + " " + d.getPhase()).containsExactly("F3 CLEARED");
    }

    @Test
    void fourteenShortBreathingPausesInAnHourPageNoOneAndTheFifteenthDoes() {
        Instant t = NIGHT;
        for (int pause = 1; pause <= 15; pause++) {
            send("mat-2", t, 1, 0);
            send("mat-2", t.plusSeconds(2), 1, 1);
            send("mat-2", t.plusSeconds(12), 1, 0);
            t = t.plusSeconds(180);
            if (pause == 14) {
                assertThat(out()).as("14 pauses of 10 s").isEmpty();
            }
        }
        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("vital-signs.apnea-episodes");
            assertThat(d.getEvidence().getReadingsCount()).isEqualTo(15);
        });
    }

    @Test
    void aGatewaysLastWillRaisesGatewayOfflineAndItsReturnClearsIt() {
        GatewayStatus will = GatewayStatus.newBuilder().setGatewayId("gw-1").setState(GatewayStatus.State.OFFLINE)
                .setObservedAt(Timestamps.of(NIGHT)).build();

        statuses.pipeInput("gw-1", will, NIGHT);
        statuses.pipeInput("gw-1", will, NIGHT.plusSeconds(1));

        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("gateway.offline");
            assertThat(d.getSubjectId()).isEqualTo("gw-1");
            assertThat(d.getAreaId()).isEqualTo("u1");
        });

        statuses.pipeInput("gw-1", will.toBuilder().setState(GatewayStatus.State.ONLINE).build(), NIGHT.plusSeconds(60));

        assertThat(out()).singleElement().extracting(Detection::getPhase).isEqualTo(Detection.Phase.CLEARED);
    }

    @Test
    void cookingSmokeWithoutHeatIsAWarningAndSmokeConfirmedByHeatInTheSameBuildingIsCritical() {
        send("heat-b2", NIGHT, 1, 70);
        send("smoke-b1", NIGHT.plusSeconds(10), 1);
        assertThat(smoke()).as("heat in another building confirms nothing").singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("fire.smoke");
            assertThat(d.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(d.getSubjectId()).isEqualTo("smoke-b1");
        });

        send("heat-b1", NIGHT.plusSeconds(40), 1, 62);

        assertThat(smoke()).singleElement().satisfies(d -> {
            assertThat(d.getPhase()).isEqualTo(Detection.Phase.RAISED);
            assertThat(d.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(d.getSummary()).isEqualTo("Confirmed by heat-b1 (heat)");
        });

        send("smoke-b1", NIGHT.plusSeconds(600), 0);
        assertThat(smoke()).singleElement().extracting(Detection::getPhase).isEqualTo(Detection.Phase.CLEARED);
    }

    /** The smoke rule's detections only (the heat detectors also raise their own F2). */
    private List<Detection> smoke() {
        return out().stream().filter(d -> d.getKind().equals("fire.smoke")).toList();
    }

    @Test
    void aResidentAwayOrOnHolidayIsNotReportedInactive() {
        TestConfig.put(registry, RegistryRecord.newBuilder().setResident(Resident.newBuilder().setId("r1").setUnitId("u1")
                .addFlags("lives-alone").addFlags("away")).build());
        send("door-1", NIGHT, 0, 90);

        hourly("door-1", NIGHT, 25, 0, 90);

        assertThat(out()).isEmpty();
    }

    @Test
    void aDoorContactThatFallsSilentIsOfflineNotAnInactiveResident() {
        send("door-1", NIGHT, 0, 90);

        driver.advanceWallClockTime(Duration.ofHours(26));

        assertThat(out()).extracting(d -> d.getEvidence().getRuleId()).as("D2 only, I1 waits for the device")
                .containsExactly("D2-battery");
    }

    /** Sends a device's hourly heartbeat for the given hours after {@code from}, the wall clock keeping pace. */
    private void hourly(String device, Instant from, int hours, double... values) {
        for (int h = 1; h <= hours; h++) {
            driver.advanceWallClockTime(Duration.ofHours(1));
            send(device, from.plus(Duration.ofHours(h)), values);
        }
    }

    @Test
    void aHotCableOnAnyOfTheFourChannelsIsRaisedOnceItLasts10Seconds() {
        device("elec-1", "electrical-fire", Device.Power.MAINS);
        for (int s = 0; s <= 5; s += 5) {
            send("elec-1", NIGHT.plusSeconds(s), 150, 40, 40, 95, 40);
        }
        assertThat(out()).as("a 5 s load spike").isEmpty();
        for (int s = 60; s <= 75; s += 5) {
            send("elec-1", NIGHT.plusSeconds(s), 150, 40, 40, 95, 40);
        }

        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getEvidence().getRuleId()).isEqualTo("F5");
            assertThat(d.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(d.getSummary()).startsWith("cableTemperature3 95 degC");
            assertThat(d.getEvidence().getReadings(0).getValuesMap()).containsEntry("cableTemperature3", 95.0);
        });
    }

    @Test
    void aCarMovingUpPastTheTopFloorForTwentySecondsIsAnOverrunButTheSameRunLowerDownIsNot() {
        TestConfig.put(registry, RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId("elev-2")
                .setAreaId("u1").setSensorType("elevator").setPower(Device.Power.MAINS)
                .putProperties("topFloor", 6).putProperties("bottomFloor", 1)).build());
        for (int s = 0; s <= 30; s += 5) {
            send("elev-2", NIGHT.plusSeconds(s), 4, 1, 0, 0, 1, 0);
        }
        assertThat(out()).as("running up between floors 4 and 5").isEmpty();

        for (int s = 100; s <= 125; s += 5) {
            send("elev-2", NIGHT.plusSeconds(s), 6, 1, 0, 0, 1, 0);
        }
        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getEvidence().getRuleId()).isEqualTo("E4");
            assertThat(d.getKind()).isEqualTo("elevator.overrun");
        });
    }

    @Test
    void noMotionAllMorningIsRaisedWhenTheWindowEndsAndAMorningWithMotionIsNot() {
        device("pir-1", "infrared", Device.Power.BATTERY);
        Instant fiveAm = Instant.parse("2026-11-27T21:00:00Z");
        send("pir-1", fiveAm, 1);
        driver.advanceWallClockTime(Duration.between(NIGHT, fiveAm));
        hourly("pir-1", fiveAm, 6, 0);
        assertThat(out()).as("until 11:00 local").isEmpty();
        driver.advanceWallClockTime(Duration.ofMinutes(61));

        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getEvidence().getRuleId()).isEqualTo("I4");
            assertThat(Timestamps.toInstant(d.getConditionSince())).isEqualTo(Instant.parse("2026-11-27T22:00:00Z"));
        });
        send("pir-1", fiveAm.plus(Duration.ofHours(7)), 1);
        assertThat(out()).singleElement().extracting(Detection::getPhase).isEqualTo(Detection.Phase.CLEARED);

        send("pir-1", fiveAm.plus(Duration.ofHours(26)), 1);
        hourly("pir-1", fiveAm.plus(Duration.ofHours(26)), 8, 0);
        assertThat(out()).as("motion at 07:00 the next morning").isEmpty();
    }

    @Test
    void twentyMinutesOfMotionInTheBathroomAtNightIsRaisedButNotInTheLivingRoom() {
        for (String id : List.of("pir-bath", "pir-living")) {
            TestConfig.put(registry, RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId(id).setAreaId("u1")
                    .setSensorType("infrared").setPower(Device.Power.BATTERY)
                    .setRoom(id.equals("pir-bath") ? "bathroom" : "living-room")).build());
        }
        for (int m = 0; m <= 20; m++) {
            send("pir-bath", NIGHT.plusSeconds(m * 60L), 1);
            send("pir-living", NIGHT.plusSeconds(m * 60L), 1);
        }

        assertThat(out()).singleElement().satisfies(d -> {
            assertThat(d.getEvidence().getRuleId()).isEqualTo("I5");
            assertThat(d.getDeviceId()).isEqualTo("pir-bath");
        });
    }
}
