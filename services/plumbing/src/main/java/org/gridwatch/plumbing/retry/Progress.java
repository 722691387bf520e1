package org.gridwatch.plumbing.retry;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Whether each consumer of a service is getting on with its records. A consumer runs each step
 * through {@link #untilDone}: a failure that passes ({@link SqlRetry#passes}: the database away or
 * restarting, a lost race, something the step needs not there yet) is retried with a growing
 * pause for as long as it lasts, and meanwhile the service reports not ready
 * ({@code /q/health/ready}), naming the consumer and what it waits for. A record is never set
 * aside for such a failure. Any other failure is the record's own and is thrown to the consumer.
 * (Also {@code @Default}: {@code @Readiness} is a qualifier, and consumers inject it plainly.)
 */
@Readiness
@Default
@ApplicationScoped
public class Progress implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(Progress.class);

    /** What each stalled consumer waits for. */
    private final Map<String, String> stalled = new ConcurrentHashMap<>();

    public <T> T untilDone(String consumer, String what, SqlRetry.Step<T> step) {
        long backoff = 100;
        while (true) {
            try {
                T result = step.run();
                if (stalled.remove(consumer) != null) {
                    LOG.infof("%s is progressing again", consumer);
                }
                return result;
            } catch (Exception e) {
                if (!SqlRetry.passes(e)) {
                    stalled.remove(consumer);
                    throw SqlRetry.unchecked(e);
                }
                stalled.put(consumer, what + ": " + describe(e));
                LOG.warnf("%s waits: %s failed (%s), trying again in %d ms", consumer, what, describe(e), backoff);
                SqlRetry.pause(backoff, what, e);
                backoff = Math.min(backoff * 2, SqlRetry.MAX_BACKOFF.toMillis());
            }
        }
    }

    /** Whether the consumer is stalled now, for tests and logs. */
    public boolean isStalled(String consumer) {
        return stalled.containsKey(consumer);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("consumers progressing").status(stalled.isEmpty());
        new TreeMap<>(stalled).forEach(response::withData);
        return response.build();
    }

    private static String describe(Exception e) {
        SQLException sql = SqlRetry.sqlCause(e);
        return sql != null ? sql.getSQLState() + " " + sql.getMessage() : e.getMessage();
    }
}
