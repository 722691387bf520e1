package org.gridwatch.console.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.console.api.Refused;

/**
 * A refusal, told to the person where they acted: an action's refusal in the page's notice area
 * (htmx retargets the answer there), a page that cannot be shown as a page of its own; both in
 * the service's own words, which say what was wrong and what to do.
 */
public final class Notice {

    private Notice() {
    }

    /** For an action of a page: the notice area shows it, the rest of the page stays. */
    public static Response of(Refused refused) {
        String html = "<div class=\"notice\" role=\"alert\" data-status=\"" + refused.status() + "\">"
                + escape(refused.getMessage()) + "</div>";
        // htmx swaps what it is answered with 2xx; these headers say where and how.
        return Response.ok(html, MediaType.TEXT_HTML).header("HX-Retarget", "#notice").header("HX-Reswap", "innerHTML")
                .build();
    }

    /** For a page that cannot be read (not found, outside the person's area): the page says why. */
    public static Response page(Refused refused, Person person, Language language) {
        int status = refused.status() == 503 ? 503 : refused.status() >= 400 && refused.status() < 500 ? refused.status() : 502;
        return Response.status(status).entity(Pages.Templates.refused(refused.getMessage(), status, person, language.tag())
                .setLocale(language.locale())).type(MediaType.TEXT_HTML).build();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
