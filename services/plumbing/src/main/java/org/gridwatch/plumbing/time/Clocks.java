package org.gridwatch.plumbing.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The clock every decision reads (deadlines, escalations, storm and group windows), injected
 * rather than called, so that tests move time on instead of sleeping: a test bean of type
 * {@link Clock} replaces this one. The database's own {@code now()} is not used for decisions;
 * the time is bound as a parameter.
 */
@Singleton
public class Clocks {

    @Produces
    @DefaultBean
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
