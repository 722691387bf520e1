package org.gridwatch.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock for tests that runs with the wall clock and can be moved on: a test that waits for a
 * deadline or an escalation moves the clock past it and runs the timer, instead of sleeping. A
 * service under test reads it as its {@link Clock} (a test bean producing it replaces the
 * service's default clock).
 */
public final class TestClock extends Clock {

    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    /** Moves the clock on by {@code duration}; it never goes back. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A test clock only moves on, not back: " + duration);
        }
        ahead.accumulateAndGet(duration, Duration::plus);
    }

    /**
     * Moves the clock on to {@code at}. The clock runs with the wall clock, so a test that asserts
     * "not a moment early" moves to a point just before a deadline it has read, rather than by a
     * fixed step from a moment that has already passed.
     */
    public void advanceTo(Instant at) {
        Duration left = Duration.between(instant(), at);
        if (left.isNegative()) {
            throw new IllegalStateException("The test clock is already " + left.negated() + " past " + at);
        }
        advance(left);
    }

    /** How far ahead of the wall clock this clock is. */
    public Duration ahead() {
        return ahead.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("A test clock is in UTC");
    }
}
