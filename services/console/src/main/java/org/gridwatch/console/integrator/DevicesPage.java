package org.gridwatch.console.integrator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Refused;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Language;
import org.gridwatch.console.web.Notice;
import org.gridwatch.console.web.Person;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Gateways and their devices, with the gateways' MQTT credentials: issue (or rotate: the old
 * secret stops working at once, and a connected gateway is disconnected) and revoke. A new secret
 * is shown once, on this page, and kept nowhere.
 */
@Path("/integrator/devices")
@Produces(MediaType.TEXT_HTML)
public class DevicesPage {

    @CheckedTemplate
    static class Templates {
        /** {@code secret} is null on the page: a secret is shown only in the answer that issued it. */
        static native TemplateInstance devices(List<GatewayRow> gateways, String secret, String problem, Person person,
                                               String lang);

        static native TemplateInstance devices$credential(GatewayRow gateway, String secret);
    }

    public record GatewayRow(String id, String name, String areaId, List<String> devices, String credential) {
    }

    @Inject
    GridWatchApi api;

    @Inject
    Person person;

    @Inject
    Language language;

    @GET
    public TemplateInstance page() {
        List<GatewayRow> rows = new ArrayList<>();
        String problem = null;
        try {
            Map<String, List<String>> devices = new HashMap<>();
            for (JsonNode device : api.get(Service.REGISTRY, "/api/v1/devices")) {
                devices.computeIfAbsent(device.path("gatewayId").asText(), g -> new ArrayList<>())
                        .add(device.path("id").asText() + " (" + device.path("sensorType").asText() + ")");
            }
            for (JsonNode gateway : api.get(Service.REGISTRY, "/api/v1/gateways")) {
                String id = gateway.path("id").asText();
                rows.add(new GatewayRow(id, gateway.path("name").asText(""), gateway.path("areaId").asText(),
                        devices.getOrDefault(id, List.of()), credential(id)));
            }
        } catch (Refused e) {
            problem = e.getMessage();
        }
        return Templates.devices(rows, null, problem, person, language.tag()).setLocale(language.locale());
    }

    /** Issues a new secret (rotating any earlier one) and shows it this once. */
    @POST
    @Path("/{gateway}/credentials")
    public Response issue(@PathParam("gateway") String gateway) {
        try {
            JsonNode issued = api.post(Service.REGISTRY, "/api/v1/gateways/" + gateway + "/credentials", Map.of());
            return Response.ok(Templates.devices$credential(row(gateway), issued.path("secret").asText())
                    .setLocale(language.locale())).header("Cache-Control", "no-store").build();
        } catch (Refused e) {
            return Notice.of(e);
        }
    }

    @POST
    @Path("/{gateway}/credentials/revoke")
    public Response revoke(@PathParam("gateway") String gateway) {
        try {
            api.delete(Service.REGISTRY, "/api/v1/gateways/" + gateway + "/credentials");
            return Response.ok(Templates.devices$credential(row(gateway), null).setLocale(language.locale())).build();
        } catch (Refused e) {
            return Notice.of(e);
        }
    }

    private GatewayRow row(String gateway) {
        return new GatewayRow(gateway, "", "", List.of(), credential(gateway));
    }

    /** "issued 2026-12-08 ...", "revoked ...", or "none", from the registry (never the secret). */
    private String credential(String gateway) {
        try {
            JsonNode status = api.get(Service.REGISTRY, "/api/v1/gateways/" + gateway + "/credentials");
            return status.path("state").asText(status.path("status").asText(status.toString()));
        } catch (Refused e) {
            return e.status() == 404 ? "none" : e.getMessage();
        }
    }
}
