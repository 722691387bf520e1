package org.gridwatch.plumbing.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A refusal as every GridWatch API gives it: problem details (RFC 9457, media type
 * {@value #MEDIA_TYPE}) with the HTTP status, a short title of the kind of problem, and a
 * detail that says what was wrong and what to do. A refused request has changed nothing.
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of no more specific type than its status ({@code about:blank}, as RFC 9457 has it). */
    public Problem(int status, String title, String detail) {
        this("about:blank", title, status, detail);
    }

    /** The problem as its JSON document (written here, so that services without Jackson can give it too). */
    public String toJson() {
        StringBuilder json = new StringBuilder(96 + (detail == null ? 0 : detail.length()));
        json.append("{\"type\":");
        quote(json, type);
        json.append(",\"title\":");
        quote(json, title);
        json.append(",\"status\":").append(status).append(",\"detail\":");
        quote(json, detail);
        return json.append('}').toString();
    }

    /** The problem as a response of its status. */
    public Response toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(toJson()).build();
    }

    private static void quote(StringBuilder json, String text) {
        if (text == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u%04x".formatted((int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
