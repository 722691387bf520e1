package org.gridwatch.alerting;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How alert-routing groups, contains storms, escalates and notifies (properties {@code gridwatch.alerting.*}). */
@ConfigMapping(prefix = "gridwatch.alerting")
public interface AlertingConfig {

    /**
     * Whether the service runs its own timers (escalations, storm ends). Tests switch them off and
     * drive them with a clock of their own.
     */
    @WithDefault("true")
    boolean timers();

    /** How often the outbox is relayed to Kafka without a commit to wake the relay. */
    @WithDefault("1S")
    Duration outboxInterval();

    /** Alerts of one kind in one building opened within this time of each other form a group. */
    @WithDefault("10M")
    Duration groupWindow();

    /**
     * How many of the newest alert events the live feed keeps in memory: a console that was away
     * for fewer events than this resumes from memory, one further behind reads the history.
     */
    @WithDefault("20000")
    int feedMemory();

    Storm storm();

    Escalation escalation();

    @WithName("notify")
    Notify notifications();

    /** Storm control: past this many alerts in a community within the window, one summary alert is told instead. */
    interface Storm {
        @WithDefault("20")
        int maxAlerts();

        @WithDefault("5M")
        Duration window();
    }

    interface Escalation {
        /** How often due escalation timers are looked for (read by the timer's schedule). */
        @WithDefault("1s")
        String interval();

        /** How soon an alert that was silenced or hidden when it fell due is looked at again. */
        @WithDefault("30S")
        Duration coveredRecheck();
    }

    interface Notify {
        /** How often due notifications (retries among them) are looked for without a commit to wake the dispatcher. */
        @WithDefault("0.5S")
        Duration interval();

        /** How long one attempt may take before it counts as failed. */
        @WithDefault("10S")
        Duration timeout();

        /** How long a sender holds a notification; a replica that dies sending it leaves it to others after this. */
        @WithDefault("30S")
        Duration lease();

        /** The first retry's delay; each further one doubles it, up to {@code retry-max}. */
        @WithDefault("1S")
        Duration retryBase();

        @WithDefault("5M")
        Duration retryMax();

        /** After this many attempts a notification is marked failed (at the defaults, about 40 min of trying). */
        @WithDefault("15")
        int maxAttempts();
    }
}
