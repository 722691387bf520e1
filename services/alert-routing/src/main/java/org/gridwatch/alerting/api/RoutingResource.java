package org.gridwatch.alerting.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.alerting.domain.Channel;
import org.gridwatch.alerting.domain.Level;
import org.gridwatch.alerting.domain.RoutingPolicy;
import org.gridwatch.alerting.routing.NotificationSender;
import org.gridwatch.alerting.store.RoutingStore;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.plumbing.security.Roles;

import io.smallrye.common.annotation.Blocking;

/**
 * Routing policies and notification channels for administrators. A policy applies to alerts that
 * open after it is set (an open alert keeps the policy it opened with); a channel's secret is
 * written, never shown.
 */
@Path("/api/v1/routing")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
public class RoutingResource {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final Set<String> SEVERITIES = Set.of("INFO", "WARNING", "CRITICAL");
    private static final int MAX_SECONDS = 7 * 24 * 3600;

    /** A channel as the API shows it: whether a secret is set, not the secret. */
    public record ChannelView(String channelId, String type, String target, boolean secretSet, String description,
                              Instant updatedAt) {
        static ChannelView of(Channel c) {
            return new ChannelView(c.channelId(), c.type(), c.target(), c.secret() != null && !c.secret().isEmpty(),
                    c.description(), c.updatedAt());
        }
    }

    /** A channel as it is written. */
    public record ChannelInput(String type, String target, String secret, String description) {
    }

    /** A policy as it is written; absent fields take the defaults named in the README. */
    public record PolicyInput(Integer priority, List<String> kinds, String minSeverity, String areaId, String level,
                              Boolean autoDispatch, List<String> channels, Integer escalateAfterSeconds,
                              Integer remindEverySeconds, String description) {
    }

    @Inject
    RoutingStore routing;

    @Inject
    Instance<NotificationSender> senders;

    @GET
    @Path("/policies")
    public List<RoutingPolicy> policies() {
        return routing.policies();
    }

    @PUT
    @RolesAllowed({Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Path("/policies/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RoutingPolicy putPolicy(@PathParam("id") String id, PolicyInput input) {
        if (input == null) {
            throw new BadRequestException("A JSON body is required, e.g. {\"priority\":10,\"kinds\":[\"fire.*\"],"
                    + "\"level\":\"community\",\"channels\":[\"ops-webhook\"],\"escalateAfterSeconds\":120}");
        }
        if (input.priority() == null) {
            throw new BadRequestException("priority is required: policies are tried lowest first");
        }
        String level = input.level() == null ? Level.GRID.id() : Level.parse(input.level()).map(Level::id)
                .orElseThrow(() -> new BadRequestException("level must be one of grid, community, street, district; got '"
                        + input.level() + "'"));
        String minSeverity = input.minSeverity() == null ? Severity.INFO.name() : input.minSeverity().strip();
        if (!SEVERITIES.contains(minSeverity)) {
            throw new BadRequestException("minSeverity must be one of " + SEVERITIES + ", got '" + minSeverity + "'");
        }
        if (input.kinds() != null && input.kinds().stream().anyMatch(k -> k == null || k.isBlank())) {
            throw new BadRequestException("kinds must not contain empty names");
        }
        List<String> channels = input.channels() == null ? List.of() : input.channels();
        Set<String> known = routing.channels().stream().map(Channel::channelId).collect(Collectors.toSet());
        List<String> unknown = channels.stream().filter(c -> !known.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new BadRequestException("unknown channels " + unknown + ": create them first under "
                    + "/api/v1/routing/channels; known: " + known);
        }
        seconds(input.escalateAfterSeconds(), "escalateAfterSeconds");
        seconds(input.remindEverySeconds(), "remindEverySeconds");
        return routing.put(new RoutingPolicy(id(id), input.priority(), input.kinds(), minSeverity,
                blankToNull(input.areaId()), level, Boolean.TRUE.equals(input.autoDispatch()), channels,
                input.escalateAfterSeconds(), input.remindEverySeconds(),
                input.description() == null ? "" : input.description()));
    }

    @DELETE
    @RolesAllowed({Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Path("/policies/{id}")
    public void deletePolicy(@PathParam("id") String id) {
        if (!routing.deletePolicy(id)) {
            throw new NotFoundException("No routing policy " + id);
        }
    }

    @GET
    @Path("/channels")
    public List<ChannelView> channels() {
        return routing.channels().stream().map(ChannelView::of).toList();
    }

    @PUT
    @RolesAllowed({Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Path("/channels/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ChannelView putChannel(@PathParam("id") String id, ChannelInput input) {
        if (input == null || input.type() == null || input.target() == null) {
            throw new BadRequestException("type and target are required, e.g. {\"type\":\"webhook\","
                    + "\"target\":\"https://ops.example/hooks/gridwatch\",\"secret\":\"...\"}");
        }
        NotificationSender sender = senders.stream().filter(s -> s.type().equals(input.type())).findFirst()
                .orElseThrow(() -> new BadRequestException("no sender for channel type '" + input.type()
                        + "'; available: " + senders.stream().map(NotificationSender::type).toList()));
        sender.checkTarget(input.target()).ifPresent(problem -> {
            throw new BadRequestException(problem);
        });
        return ChannelView.of(routing.put(new Channel(id(id), input.type(), input.target(),
                blankToNull(input.secret()), input.description() == null ? "" : input.description(), null)));
    }

    @DELETE
    @RolesAllowed({Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Path("/channels/{id}")
    public void deleteChannel(@PathParam("id") String id) {
        if (!routing.deleteChannel(id)) {
            throw new NotFoundException("No channel " + id);
        }
    }

    private static String id(String id) {
        if (!ID.matcher(id).matches()) {
            throw new BadRequestException("ids are letters, digits and . _ : - (at most 100), got '" + id + "'");
        }
        return id;
    }

    private static void seconds(Integer value, String field) {
        if (value != null && (value < 1 || value > MAX_SECONDS)) {
            throw new BadRequestException(field + " must be between 1 and " + MAX_SECONDS + " s, got " + value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
