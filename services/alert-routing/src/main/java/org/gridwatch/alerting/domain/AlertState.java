package org.gridwatch.alerting.domain;

/**
 * Where an alert is in its life: open until someone acknowledges it, acknowledged until it is
 * resolved (by a clear detection, by a person, or when its task is verified and closed). Only
 * one alert per subject and kind is not yet resolved (a unique index, not a read-then-write).
 */
public enum AlertState {
    OPEN, ACKNOWLEDGED, RESOLVED;

    /** Whether the alert is still active: open or acknowledged. */
    public boolean active() {
        return this != RESOLVED;
    }
}
