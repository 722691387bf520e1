package org.gridwatch.telemetry.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.BadRequestException;

/** A time range of a query, [from, to), from its parameters: bounded, checked, with defaults. */
record Range(Instant from, Instant to) {

    /**
     * @param from ISO-8601 instant, default {@code otherwise} before {@code to}
     * @param to   ISO-8601 instant, default now
     */
    static Range of(String from, String to, Duration otherwise, Duration longest) {
        Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(otherwise) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new BadRequestException("from must be before to; got from " + start + " and to " + end);
        }
        if (Duration.between(start, end).compareTo(longest) > 0) {
            throw new BadRequestException("The range may span at most " + longest.toDays() + " days; got "
                    + Duration.between(start, end).toDays());
        }
        return new Range(start, end);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an ISO-8601 instant such as 2026-11-27T08:00:00Z, got '"
                    + value + "'");
        }
    }
}
