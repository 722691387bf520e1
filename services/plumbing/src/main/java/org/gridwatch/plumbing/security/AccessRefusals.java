package org.gridwatch.plumbing.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Requests refused for who sent them, {@code gridwatch_access_refused_total{status="401"|"403"}}. */
@ApplicationScoped
public class AccessRefusals {

    @Inject
    MeterRegistry registry;

    public Counter counter(int status) {
        return Counter.builder("gridwatch.access.refused").description("Requests refused for who sent them")
                .tag("status", String.valueOf(status)).register(registry);
    }
}
