package org.gridwatch.alerting.api;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.AlertGroup;
import org.gridwatch.alerting.domain.AlertState;
import org.gridwatch.alerting.domain.Notification;
import org.gridwatch.alerting.store.AlertActions;
import org.gridwatch.alerting.store.AlertQueries;
import org.gridwatch.alerting.store.Notifications;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registryview.RegistryViewBean;

import io.smallrye.common.annotation.Blocking;

/**
 * Alerts for operators' consoles: list with filters (state, kind, area at any level) a page at a
 * time, one alert and its history; acknowledge,
 * resolve with a note, comment and assign. A refused request changes nothing and says why
 * (problem JSON).
 */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR, Roles.SERVICE})
public class AlertResource {

    @Inject
    Caller caller;

    @Inject
    RegistryViewBean registry;

    private static final int MAX_LIMIT = 1000;
    private static final int MAX_TEXT = 2000;

    /** Who acts and what they say: the note of an acknowledgement or a resolution, a comment, an assignee. */
    public record Action(String note, String text, String assignee) {
    }

    @Inject
    AlertQueries alerts;

    @Inject
    AlertActions actions;

    @Inject
    Notifications notifications;

    @GET
    public List<Alert> list(@QueryParam("state") String state, @QueryParam("kind") String kind,
                            @QueryParam("gridId") String gridId, @QueryParam("areaId") String areaId,
                            @QueryParam("openedBefore") String openedBefore,
                            @QueryParam("limit") @DefaultValue("100") int limit) {
        AlertState wanted = null;
        if (state != null) {
            try {
                wanted = AlertState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("state must be one of " + List.of(AlertState.values()) + ", got '"
                        + state + "'");
            }
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        Instant before = null;
        if (openedBefore != null) {
            try {
                before = Instant.parse(openedBefore);
            } catch (DateTimeParseException e) {
                throw new BadRequestException("openedBefore must be an ISO-8601 instant (the openedAt of the last alert "
                        + "of the previous page), got '" + openedBefore + "'");
            }
        }
        String scoped = caller.scopeArea(areaId, registry.state()::isWithin);
        return alerts.list(new AlertQueries.Filter(wanted, kind, gridId, scoped), before, limit);
    }

    /** Groups of related alerts (same kind and building, opened close together) with their counts. */
    @GET
    @Path("/groups")
    public List<AlertGroup> groups(@QueryParam("kind") String kind, @QueryParam("areaId") String areaId,
                                   @QueryParam("active") @DefaultValue("true") boolean activeOnly,
                                   @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return alerts.groups(kind, caller.scopeArea(areaId, registry.state()::isWithin), activeOnly, limit);
    }

    @GET
    @Path("/{id}")
    public Alert get(@PathParam("id") String id) {
        UUID alertId = alertId(id);
        Alert alert = alerts.get(alertId).orElseThrow(() -> new AlertActions.AlertNotFoundException(alertId));
        Alert.Place place = alert.place();
        caller.requireWithin("Alert " + alertId, place.districtId(), place.streetId(), place.communityId(),
                place.gridId(), place.buildingId(), place.unitId());
        return alert;
    }

    @GET
    @Path("/{id}/history")
    public List<AlertQueries.HistoryEntry> history(@PathParam("id") String id) {
        Alert alert = get(id);
        return alerts.history(alert.alertId());
    }

    /** The detections applied to the alert, oldest first: what raised it, repeated it and cleared it. */
    @GET
    @Path("/{id}/detections")
    public List<AlertQueries.AppliedDetection> detections(@PathParam("id") String id) {
        Alert alert = get(id);
        return alerts.detections(alert.alertId());
    }

    /** Why the alert is there: the rule and its version, the thresholds in force, the readings that tripped it. */
    @GET
    @Path("/{id}/evidence")
    public jakarta.ws.rs.core.Response evidence(@PathParam("id") String id) {
        Alert alert = get(id);
        String evidence = alerts.evidence(alert.alertId());
        return jakarta.ws.rs.core.Response.ok(evidence == null || evidence.isBlank() ? "{}" : evidence,
                jakarta.ws.rs.core.MediaType.APPLICATION_JSON).build();
    }

    /** Who was told about the alert, when, and how delivery went. */
    @GET
    @Path("/{id}/notifications")
    public List<Notification> notifications(@PathParam("id") String id) {
        Alert alert = get(id);
        return notifications.forAlert(alert.alertId());
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    public Alert acknowledge(@PathParam("id") String id, Action action) throws SQLException {
        get(id); // within the caller's area, or refused
        actions.acknowledge(alertId(id), caller.subject(), optional(body(action).note(), "note"));
        return get(id);
    }

    @POST
    @Path("/{id}/resolve")
    @RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    public Alert resolve(@PathParam("id") String id, Action action) throws SQLException {
        get(id); // within the caller's area, or refused
        actions.resolve(alertId(id), caller.subject(), required(body(action).note(), "note", "what was done"));
        return get(id);
    }

    @POST
    @Path("/{id}/comments")
    @RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    public Alert comment(@PathParam("id") String id, Action action) throws SQLException {
        get(id); // within the caller's area, or refused
        actions.comment(alertId(id), caller.subject(), required(body(action).text(), "text", "the comment"));
        return get(id);
    }

    @POST
    @Path("/{id}/assign")
    @RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    public Alert assign(@PathParam("id") String id, Action action) throws SQLException {
        get(id); // within the caller's area, or refused
        actions.assign(alertId(id), caller.subject(), required(body(action).assignee(), "assignee", "an operator or worker id"));
        return get(id);
    }

    private static UUID alertId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Alert ids are UUIDs, got '" + id + "'");
        }
    }

    /** The action's body; who acts is the caller's token, never a field of it. */
    private static Action body(Action action) {
        if (action == null) {
            throw new BadRequestException("A JSON body is required, e.g. {\"note\":\"...\"}");
        }
        return action;
    }

    private static String required(String value, String field, String meaning) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(field + " is required: " + meaning);
        }
        return optional(value, field);
    }

    private static String optional(String value, String field) {
        if (value != null && value.length() > MAX_TEXT) {
            throw new BadRequestException(field + " is longer than " + MAX_TEXT + " characters");
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
