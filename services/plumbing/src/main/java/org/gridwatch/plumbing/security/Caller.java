package org.gridwatch.plumbing.security;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, from the verified token and nothing else: the subject is the actor of every
 * action (never a body field or a header), the roles say what they may do, the {@code area} claim
 * where (an area id of the registry's hierarchy; administrators and services are not bound to one).
 */
@RequestScoped
public class Caller {

    /** The token claim that names the area a person answers for. */
    public static final String AREA_CLAIM = "area";

    @Inject
    SecurityIdentity identity;

    /** The token's subject; 401 for a request without a verified identity. */
    public String subject() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException("Sign in: send a bearer token of GridWatch's OpenID Connect provider");
        }
        return identity.getPrincipal().getName();
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** The area the caller answers for, when the token names one. */
    public Optional<String> area() {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            Object area = token.getClaim(AREA_CLAIM);
            if (area != null && !area.toString().isBlank()) {
                return Optional.of(area.toString());
            }
        }
        Object attribute = identity.getAttribute(AREA_CLAIM);
        return attribute == null ? Optional.empty() : Optional.of(attribute.toString());
    }

    /** Administrators and services act everywhere; everyone else within their area. */
    public boolean everywhere() {
        return hasRole(Roles.ADMINISTRATOR) || hasRole(Roles.SERVICE);
    }
}
