package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.gridwatch.alerting.Pump;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.StartupEvent;

/**
 * Tells this replica when any replica has committed alert events or notifications: such a
 * transaction notifies a PostgreSQL channel (LISTEN/NOTIFY, delivered at commit), and this
 * listener runs what subscribed to it (the live feed and the relay, the notification dispatcher). Each of them also runs on its own every so often, so a notification lost while
 * the listener reconnects costs latency, never an event.
 */
@ApplicationScoped
public class CommitListener {

    private static final Logger LOG = Logger.getLogger(CommitListener.class);
    private static final int WAIT_MILLIS = 1_000;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final Map<String, List<Runnable>> subscribers = new ConcurrentHashMap<>();
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
     * notified {@code channel}: {@link AlertJournal#COMMIT_CHANNEL} for alert events,
     * {@link Notifications#CHANNEL} for notifications.
     */
    public void subscribe(String channel, Runnable onCommit) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(onCommit);
    }

    void start(@Observes StartupEvent start) {
        running = true;
        Thread listener = new Thread(this::listen, "alert-commit-listener");
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
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + AlertJournal.COMMIT_CHANNEL);
                    statement.execute("LISTEN " + Notifications.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                // Whatever committed while (re)connecting is picked up now.
                subscribers.values().forEach(list -> list.forEach(Runnable::run));
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        Arrays.stream(notifications).map(PGNotification::getName).distinct()
                                .forEach(channel -> subscribers.getOrDefault(channel, List.of()).forEach(Runnable::run));
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
}
