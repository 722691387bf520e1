package org.gridwatch.plumbing.security;

/**
 * The roles of GridWatch, as the {@code roles} claim of a token names them. Each endpoint names
 * the roles that may call it ({@code @RolesAllowed}); the table is in the README.
 */
public final class Roles {

    /** Watches the live board and handles alerts: acknowledge, comment, assign, resolve, silence. */
    public static final String OPERATOR = "operator";
    /** Sends workers: assigns and reassigns tasks, reads the backlog. */
    public static final String DISPATCHER = "dispatcher";
    /** Verifies resolved tasks, reads the figures, and may do what operators and dispatchers do. */
    public static final String SUPERVISOR = "supervisor";
    /** A field worker: their own tasks only, through the phone API. */
    public static final String GRID_WORKER = "grid-worker";
    /** Connects sensors: sensor types, rules, devices, gateways and their credentials, back-tests. */
    public static final String INTEGRATOR = "integrator";
    /** Everything, everywhere. */
    public static final String ADMINISTRATOR = "administrator";
    /** Another GridWatch service calling with its own client credentials. */
    public static final String SERVICE = "service";

    private Roles() {
    }
}
