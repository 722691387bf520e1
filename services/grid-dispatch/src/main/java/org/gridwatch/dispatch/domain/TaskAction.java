package org.gridwatch.dispatch.domain;

import java.util.Set;

/**
 * What people do with a task, the states each is allowed from, and who may do it. Anything else
 * is refused with the reason, and changes nothing.
 */
public enum TaskAction {
    /** The assigned worker takes the task. */
    ACCEPT(true, "ASSIGNED"),
    /** The assigned worker cannot take it (reason required): it goes to the next best worker. */
    DECLINE(true, "ASSIGNED"),
    /** The worker is on site. */
    ARRIVE(true, "ACCEPTED"),
    /** The worker has fixed it (note required, photo optional); it waits for verification. */
    RESOLVE(true, "ON_SITE"),
    /** Someone other than the resolver checked the fix on site: the task closes. */
    VERIFY(false, "RESOLVED"),
    /** The check failed (reason required): the task reopens to the same worker. */
    FAIL_VERIFICATION(false, "RESOLVED"),
    /** No longer needed (reason required), for example the alert cleared before arrival. */
    CANCEL(false, "CREATED", "ASSIGNED", "ACCEPTED", "ON_SITE", "BACKLOG"),
    /** Set aside because it cannot be solved within its time limits (reason required). */
    BACKLOG(false, "CREATED", "ASSIGNED", "ACCEPTED", "ON_SITE"),
    /** A dispatcher gives the task to a named worker, overriding the automatic choice. */
    ASSIGN(false, "CREATED", "ASSIGNED", "ACCEPTED", "BACKLOG");

    private final boolean byAssignedWorker;
    private final Set<String> from;

    TaskAction(boolean byAssignedWorker, String... from) {
        this.byAssignedWorker = byAssignedWorker;
        this.from = Set.of(from);
    }

    /** Only the worker the task is assigned to may do it (from the worker API). */
    public boolean byAssignedWorker() {
        return byAssignedWorker;
    }

    public Set<String> from() {
        return from;
    }

    public boolean allowedFrom(String state) {
        return from.contains(state);
    }

    public boolean needsReason() {
        return this == DECLINE || this == FAIL_VERIFICATION || this == CANCEL || this == BACKLOG || this == RESOLVE;
    }

    /** The path segment of the action: accept, decline, arrive, resolve, verify, fail-verification... */
    public String path() {
        return name().toLowerCase().replace('_', '-');
    }
}
