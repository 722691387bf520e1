package org.gridwatch.console.web;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The signed-in person, from their verified tokens: who (for the header), what they may do (the
 * roles of the access token, the same ones the services check), and the area they answer for.
 * The pages only use it to choose what to offer; the services decide what is allowed.
 */
@RequestScoped
public class Person {

    // The role names of the services' org.gridwatch.plumbing.security.Roles, spelled again because the
    // console does not take plumbing, which brings Kafka and the database with it.
    public static final String OPERATOR = "operator";
    public static final String DISPATCHER = "dispatcher";
    public static final String SUPERVISOR = "supervisor";
    public static final String GRID_WORKER = "grid-worker";
    public static final String INTEGRATOR = "integrator";
    public static final String ADMINISTRATOR = "administrator";

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    public String subject() {
        return identity.getPrincipal().getName();
    }

    /** The name to greet them by: the token's name, else their user name. */
    public String name() {
        return Optional.ofNullable(idToken.<String>getClaim("name")).filter(name -> !name.isBlank()).orElse(subject());
    }

    public Optional<String> area() {
        Object area = idToken.getClaim("area");
        return area == null || area.toString().isBlank() ? Optional.empty() : Optional.of(area.toString());
    }

    public boolean is(String role) {
        return identity.hasRole(role);
    }

    /** Watches alerts: the live board is their home page. */
    public boolean watchesAlerts() {
        return is(OPERATOR) || is(DISPATCHER) || is(SUPERVISOR) || is(ADMINISTRATOR);
    }

    public boolean mayAcknowledge() {
        return watchesAlerts();
    }
}
