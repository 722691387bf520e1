package org.gridwatch.plumbing.security;

import java.util.Optional;
import java.util.function.BiPredicate;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, from the verified token and nothing else: the subject is the actor of every
 * action (never a body field or a header), the roles say what they may do, the {@code area} claim
 * where (an area id of the registry's hierarchy; administrators and services are not bound to one):
 * lists are cut to that area and anything outside it is refused (403).
 */
@RequestScoped
public class Caller {

    /** The token claim that names the area a person answers for. */
    public static final String AREA_CLAIM = "area";

    @Inject
    SecurityIdentity identity;

    /** The caller of a request served outside the REST layer (a Vert.x route), from its verified identity. */
    public static Caller of(SecurityIdentity identity) {
        Caller caller = new Caller();
        caller.identity = identity;
        return caller;
    }

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
        return Optional.empty();
    }

    /** Administrators and services act everywhere; everyone else within their area. */
    public boolean everywhere() {
        return hasRole(Roles.ADMINISTRATOR) || hasRole(Roles.SERVICE);
    }

    /**
     * The area a list is to be filtered by: the one asked for when it lies within the caller's
     * (403 when it does not), the caller's own when none was asked for; null for everywhere, which
     * only administrators and services get. {@code isWithin(area, ancestor)} is the registry's hierarchy.
     */
    public String scopeArea(String asked, BiPredicate<String, String> isWithin) {
        String wanted = asked == null || asked.isBlank() ? null : asked.strip();
        if (everywhere()) {
            return wanted;
        }
        String own = ownArea();
        if (wanted == null) {
            return own;
        }
        if (!isWithin.test(wanted, own)) {
            throw new ForbiddenException("You answer for " + own + "; " + wanted + " is not within it");
        }
        return wanted;
    }

    /**
     * Refuses (403) a thing whose place lies outside the caller's area; {@code place} lists the area
     * ids of its place from the district down (any may be null).
     */
    public void requireWithin(String what, String... place) {
        if (everywhere()) {
            return;
        }
        String own = ownArea();
        for (String area : place) {
            if (own.equals(area)) {
                return;
            }
        }
        throw new ForbiddenException(what + " is outside " + own + ", the area you answer for");
    }

    private String ownArea() {
        return area().orElseThrow(() -> new ForbiddenException(
                "Your token names no area (its area claim); ask an administrator to give you one"));
    }
}
