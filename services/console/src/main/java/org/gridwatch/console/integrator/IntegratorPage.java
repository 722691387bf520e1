package org.gridwatch.console.integrator;

import static org.gridwatch.console.api.Fields.text;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Refused;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Language;
import org.gridwatch.console.web.Person;
import org.gridwatch.console.web.Times;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The integrator's pages. Dead letters: what the services set aside, newest first, with the
 * reason, the detail that says what to fix, where it came from and the payload as it was sent
 * (telemetry keeps them), so that a new sensor's first malformed message is found in a minute.
 */
@Path("/integrator")
@Produces(MediaType.TEXT_HTML)
public class IntegratorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deadLetters(List<DeadLetter> letters, String reason, List<String> reasons,
                                                   String problem, Person person, String lang);
    }

    /** One dead letter as the page shows it. */
    public record DeadLetter(String recordedAt, String service, String reason, String detail, String source,
                             String gatewayId, String contentType, String payload, String payloadEncoding,
                             int payloadBytes) {
    }

    @Inject
    GridWatchApi api;

    @Inject
    Person person;

    @Inject
    Language language;

    @GET
    @Path("/dead-letters")
    public TemplateInstance deadLetters(@QueryParam("reason") String reason) {
        List<DeadLetter> letters = new ArrayList<>();
        String problem = null;
        String wanted = reason == null || reason.isBlank() ? null : reason.strip();
        try {
            JsonNode found = api.get(Service.TELEMETRY, "/api/v1/dead-letters?limit=200"
                    + (wanted == null ? "" : "&reason=" + java.net.URLEncoder.encode(wanted, java.nio.charset.StandardCharsets.UTF_8)));
            for (JsonNode letter : found) {
                letters.add(new DeadLetter(Times.whole(letter.path("recordedAt").asText()),
                        letter.path("service").asText(), letter.path("reason").asText(), letter.path("detail").asText(),
                        text(letter, "source"), text(letter, "gatewayId"), text(letter, "contentType"),
                        letter.path("payload").asText(), letter.path("payloadEncoding").asText(),
                        letter.path("payloadBytes").asInt()));
            }
        } catch (Refused e) {
            problem = e.getMessage();
        }
        // The filter offers the reasons of what is there (the contract's RejectReason names).
        List<String> reasons = letters.stream().map(DeadLetter::reason).distinct().sorted().collect(
                java.util.stream.Collectors.toCollection(ArrayList::new));
        if (wanted != null && !reasons.contains(wanted)) {
            reasons.add(wanted);
        }
        return Templates.deadLetters(letters, wanted, reasons, problem, person, language.tag()).setLocale(language.locale());
    }

}
