package org.gridwatch.plumbing.retry;

import java.sql.SQLException;
import java.time.Duration;

import org.jboss.logging.Logger;

/**
 * Runs a database step again while the failure is one that passes: the database is unreachable
 * or restarting (retried for as long as it takes, so an outage loses nothing), or the transaction
 * lost a serialization or deadlock race (retried a few times). Anything else is thrown at once.
 * For timers and requests; a consumer of records uses {@link Progress#untilDone}, which never
 * gives up on a failure that passes.
 */
public final class SqlRetry {

    /** A database step. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(SqlRetry.class);
    private static final int RACE_ATTEMPTS = 5;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private SqlRetry() {
    }

    public static <T> T run(String what, Step<T> step) {
        long backoff = 100;
        int races = 0;
        while (true) {
            try {
                return step.run();
            } catch (Exception e) {
                SQLException sql = sqlCause(e);
                boolean unreachable = sql != null && isUnreachable(sql);
                boolean race = sql != null && isRace(sql) && ++races < RACE_ATTEMPTS;
                if (!unreachable && !race) {
                    throw unchecked(e);
                }
                LOG.warnf("%s failed (%s), retrying in %d ms: %s", what, sql.getSQLState(), backoff, sql.getMessage());
                pause(backoff, what, e);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /**
     * Whether the failure passes by itself: the database unreachable or restarting, a lost race,
     * or something the step needs not there yet ({@link NotReadyException}).
     */
    public static boolean passes(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NotReadyException) {
                return true;
            }
        }
        SQLException sql = sqlCause(e);
        return sql != null && (isUnreachable(sql) || isRace(sql));
    }

    /** The first SQLException in a chain of causes, or null. */
    public static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** Class 08 (connection), 57P (operator intervention: shutdown, crash), 53 (insufficient resources). */
    static boolean isUnreachable(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            // Agroal reports an exhausted or broken pool without a state.
            return true;
        }
        return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
    }

    /** 40001 serialization failure, 40P01 deadlock. */
    static boolean isRace(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    static RuntimeException unchecked(Exception e) {
        return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }

    static void pause(long millis, String what, Exception cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying " + what, cause);
        }
    }
}
