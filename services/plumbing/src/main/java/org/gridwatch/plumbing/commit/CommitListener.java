package org.gridwatch.plumbing.commit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells this replica when any replica has committed something others wait for: such a
 * transaction notifies a PostgreSQL channel ({@code pg_notify}, delivered at commit), and this
 * listener runs what subscribed to the channel: outbox relays, live feeds, dispatchers. Each of
 * them also runs on its own every so often ({@link #pump}), so a notification lost while the
 * listener reconnects costs latency, never an event. One connection listens for every channel;
 * it starts with the first subscription.
 */
@ApplicationScoped
public class CommitListener {

    private static final Logger LOG = Logger.getLogger(CommitListener.class);
    private static final int WAIT_MILLIS = 200;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final List<Pump> pumps = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    /**
     * Starts a {@link Pump} that runs {@code task} after each commit notified on {@code channel}
     * and at least once a {@code period}; it stops with the service.
     */
    public Pump pump(String channel, String name, Duration period, Duration minGap, Runnable task) {
        Pump pump = new Pump(name, period, minGap, task);
        pumps.add(pump);
        pump.start();
        subscribe(channel, pump::wakeUp);
        return pump;
    }

    /**
     * Runs {@code onCommit} (quickly: it should only wake something) after each commit that
     * notified {@code channel}, a lower-case SQL identifier.
     */
    public void subscribe(String channel, Runnable onCommit) {
        subscribe(channel, payload -> onCommit.run());
    }

    /**
     * Runs {@code onCommit} (quickly) with the payload of each notification on {@code channel}; a
     * null payload stands for "something may have committed" (on start, and after a reconnection,
     * when notifications may have been missed).
     */
    public void subscribe(String channel, Consumer<String> onCommit) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("A commit channel is a lower-case identifier; got '" + channel + "'");
        }
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(onCommit);
        start();
    }

    private synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread listener = new Thread(this::listen, "commit-listener");
        listener.setDaemon(true);
        listener.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        pumps.forEach(Pump::stop);
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, username.orElse(null),
                    password.orElse(null))) {
                PGConnection pg = connection.unwrap(PGConnection.class);
                Set<String> listening = new HashSet<>();
                while (running) {
                    listenToNewChannels(connection, listening);
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        // One call per distinct channel and payload: a burst of commits wakes each subscriber a few times.
                        Arrays.stream(notifications).map(n -> Map.entry(n.getName(), n.getParameter())).distinct()
                                .forEach(n -> subscribers.getOrDefault(n.getKey(), List.of())
                                        .forEach(subscriber -> subscriber.accept(n.getValue())));
                    }
                }
            } catch (SQLException e) {
                LOG.debugf("Commit listener reconnecting: %s", e.getMessage());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Listens to channels subscribed since the last look; what committed before that is picked up now. */
    private void listenToNewChannels(Connection connection, Set<String> listening) throws SQLException {
        for (String channel : subscribers.keySet()) {
            if (listening.add(channel)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                subscribers.get(channel).forEach(subscriber -> subscriber.accept(null));
            }
        }
    }
}
