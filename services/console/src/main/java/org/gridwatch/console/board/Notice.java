package org.gridwatch.console.board;

import jakarta.ws.rs.core.Response;

import org.gridwatch.console.api.Refused;

/**
 * A refused action, told to the person where they acted: the service's own words in the page's
 * notice area (htmx retargets the answer there), with the service's status.
 */
final class Notice {

    private Notice() {
    }

    static Response of(Refused refused) {
        String html = "<div class=\"notice\" role=\"alert\">" + escape(refused.getMessage()) + "</div>";
        // htmx swaps 4xx/5xx answers only when told to; these headers say where and how.
        return Response.ok(html).header("HX-Retarget", "#notice").header("HX-Reswap", "innerHTML")
                .header("X-GridWatch-Status", refused.status()).build();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
