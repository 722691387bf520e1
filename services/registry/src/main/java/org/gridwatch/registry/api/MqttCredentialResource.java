package org.gridwatch.registry.api;

import java.time.Clock;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.contract.CredentialHash;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.plumbing.api.Refusal;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registry.kafka.RegistryPublisher;
import org.gridwatch.registryview.RegistryViewBean;

import com.google.gson.JsonObject;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * A gateway's MQTT credentials: issue (or rotate), look up, revoke. The broker reads them from the
 * registry topic, so a change applies at the gateway's next connection without a restart, and a
 * revocation also closes its open session. The secret is in the answer to an issue only; the
 * registry keeps a salted slow hash of it ({@link CredentialHash}) and nothing else.
 */
@Path("/api/v1/gateways/{id}/credentials")
@Produces(MediaType.APPLICATION_JSON)
// Services too: a provisioning tool (the simulator, an installer's app) calls with client credentials.
@RolesAllowed({Roles.INTEGRATOR, Roles.ADMINISTRATOR, Roles.SERVICE})
public class MqttCredentialResource {

    @Inject
    RegistryViewBean view;

    @Inject
    RegistryPublisher publisher;

    @Inject
    Clock clock;

    /**
     * Issues a new secret for the gateway; an earlier one stops working at once (rotation). The
     * answer is the only place the secret ever appears: store it on the gateway.
     */
    @POST
    @Blocking // the slow hash takes a tenth of a second of CPU: not on the event loop
    public Uni<Response> issue(@PathParam("id") String gatewayId) {
        requireGateway(gatewayId);
        boolean rotated = view.state().mqttCredential(gatewayId).filter(c -> !c.hasRevokedAt()).isPresent();
        CredentialHash.Issued issued = CredentialHash.issue(gatewayId, clock.instant());
        return publisher.publish(RegistryRecord.newBuilder().setMqttCredential(issued.credential()).build())
                .map(ignored -> {
                    JsonObject body = status(issued.credential());
                    body.addProperty("secret", issued.secret());
                    body.addProperty("replacedEarlier", rotated);
                    body.addProperty("note", "The secret is shown this once and kept nowhere: store it on the gateway. "
                            + "Connect with client id and user name " + gatewayId + " and this secret as password.");
                    return Response.status(rotated ? 200 : 201).entity(body.toString()).cacheControl(noStore()).build();
                });
    }

    /** Whether the gateway has credentials, since when, and whether they were revoked; never the secret. */
    @GET
    public Response status(@PathParam("id") String gatewayId) {
        requireGateway(gatewayId);
        MqttCredential credential = view.state().mqttCredential(gatewayId).orElseThrow(() -> noCredentials(gatewayId));
        return Response.ok(status(credential).toString()).build();
    }

    /** Revokes the gateway's credentials: refused at its next connection, and its open session closed. */
    @DELETE
    public Uni<Response> revoke(@PathParam("id") String gatewayId) {
        requireGateway(gatewayId);
        MqttCredential current = view.state().mqttCredential(gatewayId).orElseThrow(() -> noCredentials(gatewayId));
        if (current.hasRevokedAt()) {
            return Uni.createFrom().item(Response.ok(status(current).toString()).build());
        }
        MqttCredential revoked = current.toBuilder().clearSalt().clearHash()
                .setRevokedAt(Timestamps.of(clock.instant())).build();
        return publisher.publish(RegistryRecord.newBuilder().setMqttCredential(revoked).build())
                .map(ignored -> Response.ok(status(revoked).toString()).build());
    }

    private void requireGateway(String gatewayId) {
        if (view.state().gateway(gatewayId).isEmpty()) {
            throw new Refusal(404, "No such gateway", "No gateway " + gatewayId
                    + " in the registry; register it first (GET /api/v1/gateways lists them).");
        }
    }

    private static Refusal noCredentials(String gatewayId) {
        return new Refusal(404, "No credentials", "Gateway " + gatewayId + " has no MQTT credentials yet; "
                + "POST /api/v1/gateways/" + gatewayId + "/credentials issues them.");
    }

    private static JsonObject status(MqttCredential credential) {
        JsonObject body = new JsonObject();
        body.addProperty("gatewayId", credential.getPrincipal());
        body.addProperty("state", credential.hasRevokedAt() ? "REVOKED" : "ACTIVE");
        body.addProperty("issuedAt", Timestamps.toInstant(credential.getIssuedAt()).toString());
        if (credential.hasRevokedAt()) {
            body.addProperty("revokedAt", Timestamps.toInstant(credential.getRevokedAt()).toString());
        }
        return body;
    }

    private static CacheControl noStore() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        return cacheControl;
    }
}
