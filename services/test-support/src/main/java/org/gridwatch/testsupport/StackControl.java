package org.gridwatch.testsupport;

import java.time.Duration;

/**
 * Crashes and restarts of the test infrastructure's servers, for fault tests: kill one outright
 * (SIGKILL: no shutdown, nothing flushed) and start it again on the same data and ports. Only the
 * local stack path offers it ({@link Infrastructure#control()}).
 */
public interface StackControl {

    /** The servers that can be killed and started again. */
    enum Server {
        KAFKA("kafka"), MQTT("mqtt"), POSTGRES("postgres");

        final String name;

        Server(String name) {
            this.name = name;
        }
    }

    /** Sends a command of the launcher ({@code kill kafka}, {@code start postgres}...) and waits for it to be done. */
    void send(String command, Duration timeout);

    /** Kills the server at once, as a crash would. */
    default void kill(Server server) {
        send("kill " + server.name, Duration.ofSeconds(60));
    }

    /** Starts the server again on its data and ports, and waits until it serves. */
    default void start(Server server) {
        send("start " + server.name, Duration.ofMinutes(3));
    }
}
