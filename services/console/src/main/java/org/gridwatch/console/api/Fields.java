package org.gridwatch.console.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the services' JSON answers, where a field may be missing, null or blank. */
public final class Fields {

    private Fields() {
    }

    /** The field's text, or null when it is missing, null or blank. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
