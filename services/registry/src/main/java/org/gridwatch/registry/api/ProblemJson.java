package org.gridwatch.registry.api;

import com.google.gson.JsonObject;

/** A small RFC 9457 problem document, so a rejected request says why in a form a client can read. */
final class ProblemJson {

    private ProblemJson() {
    }

    static String of(int status, String title, String detail) {
        JsonObject problem = new JsonObject();
        problem.addProperty("status", status);
        problem.addProperty("title", title);
        problem.addProperty("detail", detail);
        return problem.toString();
    }
}
