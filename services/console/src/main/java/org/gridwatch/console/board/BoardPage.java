package org.gridwatch.console.board;

import java.net.URI;
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
import org.gridwatch.console.web.Notice;
import org.gridwatch.console.web.Pages;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Language;
import org.gridwatch.console.web.Person;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The live board, the operations center's big screen: the open alerts of the person's area, most
 * severe and newest first, the counters and the area tree. The page keeps itself current from the
 * live feed ({@link FeedRelay}): each alert event makes it fetch its fragments again, so what it
 * shows is always what the API says, in the API's order.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class BoardPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance board(Board board, Person person, String lang);

        static native TemplateInstance board$alerts(Board board, Person person);

        static native TemplateInstance board$summary(Board board);
    }

    @Inject
    BoardReader reader;

    @Inject
    GridWatchApi api;

    @Inject
    Person person;

    @Inject
    Language language;

    /** Each person's home: the board for those who watch alerts, the phone app for a grid worker. */
    @GET
    public Object home() {
        if (!person.watchesAlerts() && person.is(Person.GRID_WORKER)) {
            return Response.seeOther(URI.create("/worker")).build();
        }
        if (!person.watchesAlerts() && person.is(Person.INTEGRATOR)) {
            return Response.seeOther(URI.create("/integrator/dead-letters")).build();
        }
        if (!person.watchesAlerts()) {
            return Pages.Templates.noPage(person, language.tag()).setLocale(language.locale());
        }
        return Templates.board(reader.read(), person, language.tag()).setLocale(language.locale());
    }

    /**
     * The list, fetched again on each feed event, with the counters and the tree in the same
     * answer (swapped out of band): one read of the services per event, not one per fragment.
     */
    @GET
    @Path("/board/alerts")
    public String alerts() {
        Board board = reader.read();
        return Templates.board$alerts(board, person).setLocale(language.locale()).render()
                + "<aside id=\"summary\" hx-swap-oob=\"innerHTML\">"
                + Templates.board$summary(board).setLocale(language.locale()).render() + "</aside>";
    }

    /** The counters and the tree alone: every 30 s, for what changes without an alert event (overdue tasks). */
    @GET
    @Path("/board/summary")
    public TemplateInstance summary() {
        return Templates.board$summary(reader.read()).setLocale(language.locale());
    }

    /** Acknowledges as the signed-in person (the service records their token's subject). */
    @POST
    @Path("/board/alerts/{id}/acknowledge")
    public Response acknowledge(@PathParam("id") String id) {
        try {
            api.post(Service.ALERT_ROUTING, "/api/v1/alerts/" + id + "/acknowledge", Map.of());
        } catch (Refused e) {
            return Notice.of(e);
        }
        return Response.ok(alerts(), MediaType.TEXT_HTML).build();
    }

    /** Chooses the pages' language and goes back where the person was. */
    @GET
    @Path("/language/{tag}")
    public Response language(@PathParam("tag") String tag) {
        return Response.seeOther(URI.create("/"))
                .cookie(new jakarta.ws.rs.core.NewCookie.Builder(Language.COOKIE).value(tag).path("/")
                        .maxAge(365 * 24 * 3600).sameSite(jakarta.ws.rs.core.NewCookie.SameSite.LAX).build())
                .build();
    }
}
