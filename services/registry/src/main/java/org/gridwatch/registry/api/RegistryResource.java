package org.gridwatch.registry.api;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Resident;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.plumbing.api.Problem;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registry.domain.RegistryValidation;
import org.gridwatch.registry.domain.SensorTypeValidation;
import org.gridwatch.registry.kafka.RegistryPublisher;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;
import org.gridwatch.registryview.RuleValidation;

import com.google.protobuf.Message;

import io.smallrye.mutiny.Uni;

/**
 * Read and register the entities of the registry. Bodies are the protobuf JSON mapping of the
 * {@code gridwatch.v1} registry messages (see proto/README.md).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.INTEGRATOR, Roles.ADMINISTRATOR, Roles.SERVICE})
public class RegistryResource {

    @Inject
    RegistryViewBean view;

    @Inject
    RegistryPublisher publisher;

    @Inject
    Caller caller;

    @Inject
    ResidentPrivacy privacy;

    @GET
    @Path("/devices")
    public String devices(@QueryParam("gatewayId") String gatewayId, @QueryParam("areaId") String areaId) {
        String scope = scope(areaId);
        return array(state().devices().stream()
                .filter(d -> gatewayId == null || d.getGatewayId().equals(gatewayId))
                .filter(d -> within(d.getAreaId(), scope))
                .sorted(Comparator.comparing(Device::getId)).toList());
    }

    @GET
    @Path("/devices/{id}")
    public String device(@PathParam("id") String id) {
        Device device = state().device(id).orElseThrow(() -> new NotFoundException("No device " + id));
        requireWithin(device.getAreaId());
        return ProtoJson.toJson(device);
    }

    /** Registers or changes a device. The gateway and the area must exist. */
    @PUT
    @Path("/devices/{id}")
    @RolesAllowed({Roles.INTEGRATOR, Roles.ADMINISTRATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putDevice(@PathParam("id") String id, String body) {
        Device device;
        try {
            device = ProtoJson.mergeJson(body, Device.newBuilder()).setId(id).build();
        } catch (PayloadException e) {
            return Uni.createFrom().item(badRequest(e.getMessage()));
        }
        Set<String> gateways = ids(state().gateways(), Gateway::getId);
        Set<String> areas = ids(state().areas(), Area::getId);
        Set<String> types = ids(state().sensorTypes(), SensorType::getName);
        List<String> problems = RegistryValidation.deviceProblems(device, gateways, areas, types);
        return publishIfValid(RegistryRecord.newBuilder().setDevice(device).build(), device, problems);
    }

    /** The sensor-type catalog: each type's fields, units, valid ranges and sampling interval. */
    @GET
    @Path("/sensor-types")
    public String sensorTypes() {
        return array(state().sensorTypes().stream().sorted(Comparator.comparing(SensorType::getName)).toList());
    }

    @GET
    @Path("/sensor-types/{name}")
    public String sensorType(@PathParam("name") String name) {
        return ProtoJson.toJson(state().sensorType(name).orElseThrow(() -> new NotFoundException("No sensor type " + name)));
    }

    /** Adds or changes a sensor type; readings are checked against it from then on. */
    @PUT
    @Path("/sensor-types/{name}")
    @RolesAllowed({Roles.INTEGRATOR, Roles.ADMINISTRATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putSensorType(@PathParam("name") String name, String body) {
        SensorType type;
        try {
            type = ProtoJson.mergeJson(body, SensorType.newBuilder()).setName(name).build();
        } catch (PayloadException e) {
            return Uni.createFrom().item(badRequest(e.getMessage()));
        }
        return publishIfValid(RegistryRecord.newBuilder().setSensorType(type).build(), type,
                SensorTypeValidation.problems(type));
    }

    /** The detection rules in force, with their versions and scopes. */
    @GET
    @Path("/rules")
    public String rules() {
        return array(state().rules().stream().sorted(Comparator.comparing(Rule::getId)).toList());
    }

    @GET
    @Path("/rules/{id}")
    public String rule(@PathParam("id") String id) {
        return ProtoJson.toJson(state().rule(id).orElseThrow(() -> new NotFoundException("No rule " + id)));
    }

    /**
     * Adds or changes a detection rule; detection applies it from its next reading on. The
     * version must go up on every change, so detections name the definition that raised them.
     */
    @PUT
    @Path("/rules/{id}")
    @RolesAllowed({Roles.INTEGRATOR, Roles.ADMINISTRATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putRule(@PathParam("id") String id, String body) {
        Rule rule;
        try {
            rule = ProtoJson.mergeJson(body, Rule.newBuilder()).setId(id).build();
        } catch (PayloadException e) {
            return Uni.createFrom().item(badRequest(e.getMessage()));
        }
        List<String> problems = new java.util.ArrayList<>(RuleValidation.problems(rule,
                state().sensorTypes().stream().collect(Collectors.toMap(SensorType::getName, t -> t))));
        state().rule(id).filter(current -> rule.getVersion() <= current.getVersion() && !rule.equals(current))
                .ifPresent(current -> problems.add("version must be above " + current.getVersion()
                        + ", the version in force"));
        return publishIfValid(RegistryRecord.newBuilder().setRule(rule).build(), rule, problems);
    }

    @GET
    @Path("/gateways")
    public String gateways(@QueryParam("areaId") String areaId) {
        String scope = scope(areaId);
        return array(state().gateways().stream().filter(g -> within(g.getAreaId(), scope))
                .sorted(Comparator.comparing(Gateway::getId)).toList());
    }

    /** The area hierarchy within the caller's area (or the one asked for), the area itself included. */
    @GET
    @Path("/areas")
    public String areas(@QueryParam("areaId") String areaId) {
        String scope = scope(areaId);
        return array(state().areas().stream().filter(a -> within(a.getId(), scope))
                .sorted(Comparator.comparing(Area::getId)).toList());
    }

    /** An area within the caller's, or one above it (the street and district a community belongs to). */
    @GET
    @Path("/areas/{id}")
    public String area(@PathParam("id") String id) {
        Area area = state().area(id).orElseThrow(() -> new NotFoundException("No area " + id));
        if (!caller.everywhere() && caller.area().filter(own -> state().isWithin(own, id)).isEmpty()) {
            requireWithin(id);
        }
        return ProtoJson.toJson(area);
    }

    @GET
    @Path("/workers")
    public String workers(@QueryParam("areaId") String areaId) {
        String scope = scope(areaId);
        return array(state().workers().stream().filter(w -> within(w.getAreaId(), scope))
                .sorted(Comparator.comparing(Worker::getId)).toList());
    }

    /**
     * The residents of the homes within the caller's area. Their name and flags only to the roles
     * that look after them (see {@link ResidentPrivacy}); everyone else sees which unit they live in.
     */
    @GET
    @Path("/residents")
    public String residents(@QueryParam("areaId") String areaId) {
        String scope = scope(areaId);
        return array(state().residents().stream().filter(r -> within(r.getUnitId(), scope))
                .sorted(Comparator.comparing(Resident::getId)).map(privacy::asSeenByCaller).toList());
    }

    @GET
    @Path("/residents/{id}")
    public String resident(@PathParam("id") String id) {
        Resident resident = state().residents().stream().filter(r -> r.getId().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("No resident " + id));
        requireWithin(resident.getUnitId());
        return ProtoJson.toJson(privacy.asSeenByCaller(resident));
    }

    /** The area a list is cut to: the one asked for within the caller's (403 outside it), else theirs; null for all. */
    private String scope(String asked) {
        return caller.scopeArea(asked, state()::isWithin);
    }

    private boolean within(String areaId, String scope) {
        return scope == null || state().isWithin(areaId, scope);
    }

    /** 403 for a thing placed outside the caller's area. */
    private void requireWithin(String areaId) {
        caller.scopeArea(areaId, state()::isWithin);
    }

    /** Publishes the change and answers with the entity, or refuses it with every problem named. */
    private Uni<Response> publishIfValid(RegistryRecord record, Message entity, List<String> problems) {
        if (!problems.isEmpty()) {
            return Uni.createFrom().item(badRequest(String.join("; ", problems)));
        }
        return publisher.publish(record).map(ignored -> Response.ok(ProtoJson.toJson(entity)).build());
    }

    private RegistryState state() {
        return view.state();
    }

    private static <T> Set<String> ids(Collection<T> items, Function<T, String> id) {
        return items.stream().map(id).collect(Collectors.toSet());
    }

    private static String array(List<? extends Message> messages) {
        return messages.stream().map(ProtoJson::toJson).collect(Collectors.joining(",", "[", "]"));
    }

    static Response badRequest(String message) {
        return new Problem(400, "Invalid registry entity", message).toResponse();
    }
}
