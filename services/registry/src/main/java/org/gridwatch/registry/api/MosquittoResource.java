package org.gridwatch.registry.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.contract.MosquittoFiles;
import org.gridwatch.plumbing.api.Refusal;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registryview.RegistryViewBean;

/**
 * The gateways' credentials and access rules as a Mosquitto 2 broker reads them
 * ({@code password_file}, {@code acl_file}), for installations that run Mosquitto instead of the
 * local stack's HiveMQ: fetch both, and have Mosquitto reload them (SIGHUP) when they change. The
 * password file holds salted slow hashes, never a secret.
 */
@Path("/api/v1/mqtt/mosquitto")
@Produces(MediaType.TEXT_PLAIN)
@RolesAllowed({Roles.SERVICE, Roles.ADMINISTRATOR})
public class MosquittoResource {

    @Inject
    RegistryViewBean view;

    @GET
    @Path("/password-file")
    public Response passwordFile() {
        return Response.ok(MosquittoFiles.passwordFile(view.state().mqttCredentials())).cacheControl(noStore()).build();
    }

    /** {@code bridgeUser}: the ingest-bridge's user name at this broker (its line is added with {@code mosquitto_passwd}). */
    @GET
    @Path("/acl-file")
    public Response aclFile(@QueryParam("bridgeUser") String bridgeUser) {
        String user = bridgeUser == null || bridgeUser.isBlank() ? "ingest-bridge" : bridgeUser.strip();
        if (!user.matches("[A-Za-z0-9._-]+")) {
            throw new Refusal(400, "Bad bridge user name",
                    "bridgeUser may hold letters, digits, '.', '_' and '-' only, got '" + user + "'");
        }
        return Response.ok(MosquittoFiles.aclFile(user)).build();
    }

    private static CacheControl noStore() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        return cacheControl;
    }
}
