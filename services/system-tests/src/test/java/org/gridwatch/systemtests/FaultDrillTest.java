package org.gridwatch.systemtests;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.gridwatch.testsupport.StackControl.Server;
import org.gridwatch.testsupport.Timeline;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server of the infrastructure killed outright (SIGKILL: no shutdown, nothing flushed) and
 * started again on its data while readings stream in ({@link Drill}): every reading is stored
 * once, each alarm makes one alert and one task, no batch is half applied, every escalation and
 * deadline timer fires once, and nothing is left stuck.
 */
@Tag("chaos")
class FaultDrillTest extends SystemTest {

    @Test
    void kafkaKilledMidStream() throws Exception {
        drill(Server.KAFKA, 4, Duration.ofSeconds(8));
    }

    /**
     * The gateways and the ingest-bridge reconnect by themselves; what the broker had not
     * acknowledged goes again, and what it had sent the bridge without an acknowledgement too
     * (the local stack releases HiveMQ's in-flight marks at start; without that, the bridge got
     * nothing more after the restart). See the ingest-bridge's README.
     */
    @Test
    void mqttBrokerKilledMidStream() throws Exception {
        drill(Server.MQTT, 3, Duration.ofSeconds(5));
    }

    /** Every backend with it, while alert-routing and grid-dispatch apply batches and their timers fall due. */
    @Test
    void databaseKilledMidStream() throws Exception {
        drill(Server.POSTGRES, 2, Duration.ofSeconds(6));
    }

    /** Kills the server a {@code part} of the way into the stream, starts it again {@code down} later, and checks. */
    private static void drill(Server server, int part, Duration down) throws Exception {
        Drill drill = new Drill(system);
        Throwable failed = null;
        try {
            drill.connect();
            Timeline timeline = Timeline.start();
            CompletableFuture<Void> stream = drill.stream();
            Duration killAt = Drill.length().dividedBy(part);
            timeline.at(killAt, "kill " + server, () -> drill.stack.kill(server));
            timeline.at(killAt.plus(down), "start " + server + " again", () -> drill.stack.start(server));
            stream.join();

            drill.assertEveryReadingStoredOnce();
            drill.assertAlertsAndTasksUnique();
            drill.assertSystemStillWorks();
        } catch (Exception | AssertionError e) {
            failed = e;
            throw e;
        } finally {
            endKeepingTheFirstFailure(drill, failed);
        }
    }

    /** Clears the drill's alarms; if that fails after the drill did, the drill's own failure is the one reported. */
    private static void endKeepingTheFirstFailure(Drill drill, Throwable failed) throws Exception {
        try {
            drill.end();
        } catch (Exception | AssertionError e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
        }
    }
}
