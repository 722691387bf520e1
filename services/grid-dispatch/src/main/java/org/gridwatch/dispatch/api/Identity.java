package org.gridwatch.dispatch.api;

import org.gridwatch.plumbing.api.Refusal;

/**
 * Who is calling. GridWatch sits behind the city's sign-in gateway, which sets these headers
 * once a person has signed in: a worker's phone carries {@link #WORKER}, a console (operator,
 * dispatcher, supervisor) {@link #ACTOR}. The API trusts them and records them on every step.
 */
final class Identity {

    static final String WORKER = "X-GridWatch-Worker";
    static final String ACTOR = "X-GridWatch-Actor";

    private Identity() {
    }

    static String require(String value, String header) {
        if (value == null || value.isBlank()) {
            throw new MissingException(header);
        }
        return value.strip();
    }

    /** The header naming the caller is missing. */
    static final class MissingException extends Refusal {
        MissingException(String header) {
            super(401, "Who is asking?", "The " + header + " header must name who is asking (set by the sign-in gateway)");
        }
    }
}
