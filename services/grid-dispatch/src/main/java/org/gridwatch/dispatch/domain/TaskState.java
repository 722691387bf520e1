package org.gridwatch.dispatch.domain;

/**
 * Where a task is in its loop: created (from an alert, a report) and assigned, accepted, on site,
 * resolved, then verified by someone other than the resolver and closed; or cancelled, or set
 * aside in the backlog. A declined or timed-out task goes back to CREATED and on to the next
 * worker.
 */
public enum TaskState {
    CREATED, ASSIGNED, ACCEPTED, ON_SITE, RESOLVED, VERIFIED, CLOSED, CANCELLED, BACKLOG;

    /** In someone's hands: what a worker's load counts. */
    public boolean inHand() {
        return this == ASSIGNED || this == ACCEPTED || this == ON_SITE;
    }

    /** Still to be done: what a worker's phone shows and the open counts count. */
    public boolean open() {
        return inHand() || this == RESOLVED;
    }

    /** Finished one way or the other. */
    public boolean finished() {
        return this == VERIFIED || this == CLOSED || this == CANCELLED;
    }
}
