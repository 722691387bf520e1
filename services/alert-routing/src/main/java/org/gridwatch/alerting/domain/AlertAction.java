package org.gridwatch.alerting.domain;

import java.util.EnumSet;
import java.util.Set;

import org.gridwatch.contract.v1.AlertEvent;

/**
 * What a person does with an alert, the states each is allowed from, and the event it makes.
 * Anything else is refused with the reason and changes nothing.
 */
public enum AlertAction {
    /** An operator has seen the alert and is on it. */
    ACKNOWLEDGE(AlertEvent.Type.TYPE_ACKNOWLEDGED, "acknowledged", AlertState.OPEN),
    /** A person resolves the alert, with a note saying what was done. */
    RESOLVE(AlertEvent.Type.TYPE_RESOLVED, "resolved", AlertState.OPEN, AlertState.ACKNOWLEDGED),
    /** A comment, kept in the alert's history. */
    COMMENT(AlertEvent.Type.TYPE_COMMENTED, "commented", AlertState.OPEN, AlertState.ACKNOWLEDGED,
            AlertState.RESOLVED),
    /** Gives the alert to someone: an operator or a worker. */
    ASSIGN(AlertEvent.Type.TYPE_ASSIGNED, "assigned", AlertState.OPEN, AlertState.ACKNOWLEDGED);

    private final AlertEvent.Type event;
    private final String done;
    private final Set<AlertState> from;

    AlertAction(AlertEvent.Type event, String done, AlertState first, AlertState... more) {
        this.event = event;
        this.done = done;
        this.from = EnumSet.of(first, more);
    }

    public AlertEvent.Type event() {
        return event;
    }

    public boolean allowedFrom(AlertState state) {
        return from.contains(state);
    }

    /** Why the action is refused for the alert as it is, or null when it is allowed. */
    public String refusal(Alert alert) {
        if (allowedFrom(alert.state())) {
            return null;
        }
        return "Alert " + alert.alertId() + " is " + alert.state() + ": it cannot be " + done
                + (alert.state() == AlertState.RESOLVED
                ? " (resolved by " + alert.resolvedBy() + " at " + alert.resolvedAt() + ")" : "");
    }
}
