package org.gridwatch.plumbing.api;

/**
 * A request GridWatch refuses, with the status and title of its {@link Problem}: the services'
 * own refusals (an unknown alert, a step not allowed in a task's state...) extend it, and
 * {@link ProblemMappers} turns each into problem JSON. Unchecked, so that a refusal inside a
 * transaction rolls it back like any other failure.
 */
public class Refusal extends RuntimeException {

    private final int status;
    private final String title;

    public Refusal(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    /** 400: the request itself is wrong; the detail says how to put it right. */
    public static Refusal invalid(String detail) {
        return new Refusal(400, "Invalid request", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Problem problem() {
        return new Problem(status, title, getMessage());
    }
}
