package org.gridwatch.console.api;

/**
 * A service refused or failed a call: its status and what it said (the detail of its problem
 * JSON), shown to the person as it is, since it says what was wrong and what to do.
 */
public class Refused extends RuntimeException {

    private final int status;

    public Refused(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
