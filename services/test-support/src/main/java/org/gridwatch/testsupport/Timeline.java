package org.gridwatch.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A scenario written as a timeline: at t = 0 this, at t = 2 s that; expect this between t = a and
 * t = b. Times count from {@link #start()}. An expectation fails when what it waits for comes
 * early as well as late, so a test says when things must happen, not only that they do.
 */
public final class Timeline {

    private static final long POLL_MILLIS = 50;

    /** A step of the scenario. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private final long startNanos = System.nanoTime();

    private Timeline() {
    }

    public static Timeline start() {
        return new Timeline();
    }

    /** Time since the start. */
    public Duration now() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Waits until {@code t}, then runs the step; fails if the timeline is already past {@code t} by more than a second. */
    public Timeline at(Duration t, String what, Step step) throws Exception {
        sleepUntil(t);
        if (now().minus(t).compareTo(Duration.ofSeconds(1)) > 0) {
            throw new AssertionError("t=" + seconds(now()) + ": too late to " + what + " at t=" + seconds(t));
        }
        step.run();
        return this;
    }

    /**
     * Waits for the condition; fails unless it first holds between {@code from} and {@code to}.
     * Returns when it held.
     */
    public Duration expectBetween(Duration from, Duration to, String what, Callable<Boolean> condition)
            throws Exception {
        while (true) {
            Duration t = now();
            if (condition.call()) {
                if (t.compareTo(from) < 0) {
                    throw new AssertionError("Expected " + what + " between t=" + seconds(from) + " and t="
                            + seconds(to) + ", but it happened early, by t=" + seconds(t));
                }
                return t;
            }
            if (t.compareTo(to) > 0) {
                throw new AssertionError("Expected " + what + " between t=" + seconds(from) + " and t="
                        + seconds(to) + ", but it had not happened by t=" + seconds(t));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Fails if the condition holds at any time from now until {@code until}. */
    public void expectNothingUntil(Duration until, String what, Callable<Boolean> condition) throws Exception {
        while (now().compareTo(until) < 0) {
            if (condition.call()) {
                throw new AssertionError("Expected no " + what + " until t=" + seconds(until) + ", but at t="
                        + seconds(now()) + " there was");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private void sleepUntil(Duration t) throws InterruptedException {
        long wait = t.minus(now()).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
