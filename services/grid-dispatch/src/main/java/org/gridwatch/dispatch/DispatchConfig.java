package org.gridwatch.dispatch;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How grid-dispatch relays its events and runs its deadlines (properties {@code gridwatch.dispatch.*}). */
@ConfigMapping(prefix = "gridwatch.dispatch")
public interface DispatchConfig {

    /** How often the outbox is relayed to Kafka without a commit to wake the relay. */
    @WithDefault("1S")
    Duration outboxInterval();

    /**
     * How often missed deadlines are looked for: an index lookup that usually finds nothing, so a
     * deadline is acted on within this of passing.
     */
    @WithDefault("0.25S")
    Duration deadlineCheck();

    /**
     * Whether the service runs its own deadline timer. Tests switch it off and drive it with a
     * clock of their own.
     */
    @WithDefault("true")
    boolean timers();
}
