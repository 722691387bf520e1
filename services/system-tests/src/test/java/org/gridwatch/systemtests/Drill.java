package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.awaitility.core.ConditionTimeoutException;
import org.gridwatch.testsupport.Infrastructure;
import org.gridwatch.testsupport.StackControl;

/**
 * A fault drill on the whole system: readings stream in over MQTT from the demo community's
 * gateways at a steady rate while a test kills part of the infrastructure, and some of them are
 * tamper alarms, which open alerts that grid-dispatch makes tasks of. Afterwards it checks what
 * a user would notice: every reading stored once, one alert per alarmed device opened once, one
 * task per alert, every escalation step once, and the system still working (a new alarm goes all
 * the way through, every service ready).
 *
 * <p>Its size is the short one in {@code make test} and the full one in {@code make chaos}
 * ({@code -Dgridwatch.chaos=full}): 10,000 readings at 500 a second.
 */
final class Drill {

    /** The doors and motion sensors of the demo community, by gateway. */
    private static final List<String> GATEWAYS = List.of("gw-b1-101", "gw-b1-201", "gw-b1-301", "gw-b2-101",
            "gw-b2-201", "gw-b2-301", "gw-b3-201", "gw-b3-301", "gw-b4-101");
    /** The door that sounds the alarm that shows the system still works after a fault. */
    private static final String PROBE = "door-b4-201";
    /** How many doors of the stream sound a tamper alarm. */
    private static final int ALARMS = 6;

    static final boolean FULL = "full".equals(System.getProperty("gridwatch.chaos"));
    static final int READINGS = FULL ? 10_000 : 3_000;
    static final int PER_SECOND = 500;

    final GridWatchSystem system;
    final StackControl stack;
    final String run = UUID.randomUUID().toString().substring(0, 8);
    /** When the drill began: its alerts are those made since (the demo's doors take part in every drill). */
    private final Instant started = Instant.now();
    /**
     * The readings' times: from now on, as they are published (detection acts on a device's
     * readings in time order, so a drill's must come after the last drill's).
     */
    private final Instant base = Instant.now();
    private final List<TestGateway> gateways = new ArrayList<>();
    /** The devices whose tamper alarm the stream sounds, in order. */
    final Set<String> alarmed = new LinkedHashSet<>();

    Drill(GridWatchSystem system) {
        this.system = system;
        this.stack = Infrastructure.control().orElseThrow(() -> new IllegalStateException(
                "Fault drills kill servers of the local stack; this run's infrastructure is not one"));
        // Tamper alarms of the community are told at grid level, escalate every 4 s and ask for a
        // task, whose accept deadline is 5 s: timers fall due while the drill runs.
        ok(system.put("alert-routing", "/api/v1/routing/policies/drill-tamper", """
                {"priority":1,"kinds":["device.tamper"],"areaId":"lf-c1","level":"grid","autoDispatch":true,
                 "escalateAfterSeconds":4,"description":"fault drills"}"""));
        ok(system.put("grid-dispatch", "/api/v1/deadlines/drill-tamper", """
                {"priority":1,"kindPattern":"device.tamper","minSeverity":1,"acceptSeconds":5,"arriveSeconds":600,
                 "resolveSeconds":3600,"verifySeconds":3600}"""));
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The time the stream takes. */
    static Duration length() {
        return Duration.ofMillis(READINGS * 1000L / PER_SECOND);
    }

    /** Connects the gateways of the stream, before any fault. */
    void connect() throws Exception {
        for (String gateway : GATEWAYS) {
            gateways.add(system.gateway(gateway));
        }
    }

    /** Starts the stream; it ends when every reading has been acknowledged by the broker. */
    CompletableFuture<Void> stream() {
        return CompletableFuture.runAsync(() -> {
            String stage = "starting";
            try {
                long began = System.nanoTime();
                for (int i = 0; i < READINGS; i++) {
                    stage = "publishing reading " + i;
                    int g = i % GATEWAYS.size();
                    gateways.get(g).publishJson(reading(i, GATEWAYS.get(g)));
                    long wait = began + (i + 1) * 1_000_000_000L / PER_SECOND - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                for (TestGateway gateway : gateways) {
                    stage = "waiting for the broker to acknowledge gateway " + gateways.indexOf(gateway);
                    gateway.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("The drill's stream broke off " + stage, e);
            }
        });
    }

    /**
     * Reading {@code i}: a door's or a motion sensor's, alternately; from its alarm on, an
     * alarmed door says it is tampered with in every reading (the alert counts repeats).
     */
    private String reading(int i, String gateway) {
        String unit = gateway.substring("gw-".length());
        boolean door = (i / GATEWAYS.size()) % 2 == 0;
        String device = (door ? "door-" : "pir-") + unit;
        int alarmEvery = READINGS / (ALARMS + 1);
        if (door && alarmed.size() < ALARMS && i >= alarmEvery * (alarmed.size() + 1)) {
            alarmed.add(device);
        }
        String tamper = alarmed.contains(device) ? ",\"tamper\":1" : "";
        return """
                {"eventId":"drill-%s-%d","deviceId":"%s","observedAt":"%s","values":{"%s":%d,"battery":90%s}}
                """.formatted(run, i, device, base.plusMillis(i * 1000L / PER_SECOND), door ? "open" : "motion", i / 2 % 2,
                tamper);
    }

    /** Every reading of the stream is stored, and none twice. */
    void assertEveryReadingStoredOnce() throws Exception {
        await("every reading of the drill stored").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> readingsStored()[0] >= READINGS);
        // A late redelivery would show as a second row of a value now.
        Thread.sleep(3_000);
        long[] stored = readingsStored();
        assertThat(stored[0]).as("readings stored").isEqualTo(READINGS);
        assertThat(stored[1]).as("values stored more than once").isZero();
    }

    /** Distinct readings stored, and values stored more than once. */
    private long[] readingsStored() throws SQLException {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT count(DISTINCT event_id), count(*) - count(DISTINCT (event_id, metric))
                     FROM telemetry.reading_value WHERE event_id LIKE ?""")) {
            query.setString(1, "drill-" + run + "-%");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2)};
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return new long[] {-1, -1};
            }
            throw e;
        }
    }

    /**
     * One alert per alarmed door, opened once, with as many repeats counted as its history holds
     * (no batch half applied), told once at each level up to the district; one task per alert,
     * created once, escalated at most once per level; and the alerts' events reached telemetry.
     */
    void assertAlertsAndTasksUnique() throws Exception {
        List<String> devices = new ArrayList<>(alarmed);
        assertThat(devices).as("doors alarmed by the stream").hasSize(ALARMS);
        try {
            await("each alarm's alert and task, escalated to the district").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> settled(devices));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nThe alarms' alerts now (device, level, escalations, task, "
                    + "ESCALATED events stored by telemetry):\n" + state(devices), e);
        }
        try (Connection connection = system.database()) {
            Map<String, String> alerts = new HashMap<>();
            for (String[] row : rows(connection, """
                    SELECT subject_id, alert_id::text FROM alerting.alert
                    WHERE kind = 'device.tamper' AND subject_id = ANY (?) AND created_at >= ?""", devices, started)) {
                assertThat(alerts.put(row[0], row[1])).as("a second alert of " + row[0]).isNull();
            }
            assertThat(alerts.keySet()).containsExactlyInAnyOrderElementsOf(devices);
            List<String> ids = List.copyOf(alerts.values());
            assertThat(rows(connection, """
                    SELECT a.alert_id::text, a.repeat_count, count(h.*) FILTER (WHERE h.type IN ('OPENED', 'REPEATED',
                           'SEVERITY_CHANGED')), count(h.*) FILTER (WHERE h.type = 'OPENED'),
                           count(h.*) FILTER (WHERE h.type = 'ESCALATED'), count(DISTINCT h.note) FILTER (WHERE h.type = 'ESCALATED')
                    FROM alerting.alert a JOIN alerting.alert_history h ON h.alert_id = a.alert_id
                    WHERE a.alert_id::text = ANY (?) GROUP BY a.alert_id, a.repeat_count""", ids))
                    .as("alert, repeats counted, detections in its history, opened, escalations, distinct escalations")
                    .allSatisfy(row -> {
                        assertThat(row[1]).as("repeats counted = detections applied, alert " + row[0]).isEqualTo(row[2]);
                        assertThat(row[3]).as("opened once, alert " + row[0]).isEqualTo("1");
                        assertThat(row[4]).as("escalated to community, street and district once each, alert " + row[0])
                                .isEqualTo("3");
                        assertThat(row[5]).as("no level told twice, alert " + row[0]).isEqualTo("3");
                    });
            assertThat(rows(connection, """
                    SELECT t.alert_id, count(DISTINCT t.task_id), count(h.*) FILTER (WHERE h.type = 'CREATED'),
                           count(h.*) FILTER (WHERE h.type = 'ESCALATED'), count(DISTINCT h.note) FILTER (WHERE h.type = 'ESCALATED')
                    FROM dispatch.task t JOIN dispatch.task_history h ON h.task_id = t.task_id
                    WHERE t.alert_id = ANY (?) GROUP BY t.alert_id""", ids))
                    .as("alert, tasks, created, escalations, distinct escalations").hasSize(ids.size())
                    .allSatisfy(row -> {
                        assertThat(row[1]).as("one task of alert " + row[0]).isEqualTo("1");
                        assertThat(row[2]).as("created once, task of alert " + row[0]).isEqualTo("1");
                        assertThat(row[3]).as("escalated once per level, task of alert " + row[0]).isEqualTo(row[4]);
                    });
            assertThat(rows(connection, """
                    SELECT alert_id, count(*) FROM telemetry.alert_event WHERE alert_id = ANY (?) AND type = 'TYPE_OPENED'
                    GROUP BY alert_id""", ids)).as("each alert's OPENED event on Kafka, stored by telemetry")
                    .hasSize(ids.size()).allSatisfy(row -> assertThat(row[1]).isEqualTo("1"));
        }
    }

    /** Where each alarm's alert and task stand, for a failure's message. */
    private String state(List<String> devices) throws SQLException {
        StringBuilder state = new StringBuilder();
        try (Connection connection = system.database()) {
            for (String[] row : rows(connection, """
                    SELECT a.subject_id, a.level, a.escalations, t.task_id, t.state,
                           (SELECT count(*) FROM telemetry.alert_event e
                            WHERE e.alert_id = a.alert_id::text AND e.type = 'TYPE_ESCALATED')
                    FROM alerting.alert a LEFT JOIN dispatch.task t ON t.alert_id = a.alert_id::text
                    WHERE a.kind = 'device.tamper' AND a.subject_id = ANY (?) AND a.created_at >= ?""", devices, started)) {
                state.append("  ").append(String.join(" ", row)).append('\n');
            }
        }
        return state.toString();
    }

    /** Whether every alarm has its alert told up to the district and its task, its events stored by telemetry. */
    private boolean settled(List<String> devices) throws SQLException {
        try (Connection connection = system.database()) {
            List<String[]> escalated = rows(connection, """
                    SELECT a.subject_id FROM alerting.alert a JOIN dispatch.task t ON t.alert_id = a.alert_id::text
                    WHERE a.kind = 'device.tamper' AND a.subject_id = ANY (?) AND a.created_at >= ? AND a.level = 'district'
                      AND (SELECT count(*) FROM telemetry.alert_event e
                           WHERE e.alert_id = a.alert_id::text AND e.type = 'TYPE_ESCALATED') >= 3""", devices, started);
            return escalated.size() >= devices.size();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Nothing is stuck: every service is ready, and a new alarm goes all the way through, to an
     * alert and its task.
     */
    void assertSystemStillWorks() throws Exception {
        await("every service ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> GridWatchSystem.SERVICES.stream().allMatch(name -> system.service(name).isReady()));
        String device = PROBE;
        try (TestGateway gateway = system.gateway("gw-b4-201")) {
            gateway.publishJson("""
                    {"eventId":"drill-%s-probe","deviceId":"%s","observedAt":"%s","values":{"open":0,"tamper":1}}
                    """.formatted(run, device, Instant.now()));
        }
        await("a new alarm's alert and task").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try (Connection connection = system.database()) {
                        return !rows(connection, """
                                SELECT t.task_id FROM alerting.alert a JOIN dispatch.task t ON t.alert_id = a.alert_id::text
                                WHERE a.kind = 'device.tamper' AND a.subject_id = ANY (?) AND a.created_at >= ?""",
                                List.of(device), started).isEmpty();
                    }
                });
    }

    /**
     * The doors are seen to: each alarmed door and the probe say they are no longer tampered
     * with, detection clears their alarms and alert-routing resolves the alerts, so the next
     * drill's alarms are raised afresh (detection raises a condition once, not at every reading).
     */
    void end() throws Exception {
        List<String> devices = new ArrayList<>(alarmed);
        devices.add(PROBE);
        Instant now = Instant.now();
        for (String device : devices) {
            String gateway = "gw-" + device.substring("door-".length());
            try (TestGateway door = system.gateway(gateway)) {
                door.publishJson("""
                        {"eventId":"drill-%s-fixed-%s","deviceId":"%s","observedAt":"%s","values":{"open":0,"tamper":0}}
                        """.formatted(run, device, device, now));
            }
        }
        await("the drill's alarms cleared").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try (Connection connection = system.database()) {
                        return rows(connection, """
                                SELECT alert_id FROM alerting.alert
                                WHERE kind = 'device.tamper' AND subject_id = ANY (?) AND state <> 'RESOLVED'""",
                                devices).isEmpty();
                    }
                });
    }

    /** The rows of a query as text; a list parameter is bound as a text array, an instant as a timestamp. */
    private static List<String[]> rows(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof List<?> list) {
                    query.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else if (parameters[i] instanceof Instant instant) {
                    query.setTimestamp(i + 1, java.sql.Timestamp.from(instant));
                } else {
                    query.setObject(i + 1, parameters[i]);
                }
            }
            List<String[]> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                int columns = row.getMetaData().getColumnCount();
                while (row.next()) {
                    String[] values = new String[columns];
                    for (int c = 0; c < columns; c++) {
                        values[c] = row.getString(c + 1);
                    }
                    rows.add(values);
                }
            }
            return rows;
        }
    }
}
