package org.gridwatch.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.gridwatch.contract.v1.DeviceEvent;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.ReadingBatch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * The one JSON &lt;-&gt; protobuf transcoder of GridWatch. JSON is the standard protobuf JSON
 * mapping of the same messages (lowerCamelCase names; snake_case is accepted on input; unknown
 * fields are ignored so that newer gateways can talk to older bridges).
 *
 * <p>It also decodes MQTT payloads as documented in {@code proto/README.md}: a payload is JSON
 * when its content type says so or when it starts with '{' or '['; otherwise it is protobuf.
 */
public final class ProtoJson {

    public static final String CONTENT_TYPE_JSON = "application/json";
    public static final String CONTENT_TYPE_PROTOBUF = "application/x-protobuf";
    /** Content-type parameter naming a single Reading instead of the default ReadingBatch. */
    public static final String SINGLE_READING_TYPE = "gridwatch.v1.Reading";

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ProtoJson() {
    }

    public static String toJson(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print, and the contract has none.
            throw new IllegalStateException("Cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    public static <B extends Message.Builder> B mergeJson(String json, B builder) throws PayloadException {
        JsonElement tree = parseTree(json);
        mergeTree(tree, builder);
        return builder;
    }

    /** Decodes a telemetry payload: one reading, an array of readings, or a batch. */
    public static List<Reading> decodeReadings(byte[] payload, String contentType) throws PayloadException {
        if (isJson(payload, contentType)) {
            JsonElement tree = parseTree(new String(payload, StandardCharsets.UTF_8));
            List<Reading> readings = new ArrayList<>();
            if (tree.isJsonArray()) {
                JsonArray array = tree.getAsJsonArray();
                for (JsonElement element : array) {
                    readings.add(mergeTree(element, Reading.newBuilder()).build());
                }
            } else if (tree.isJsonObject() && tree.getAsJsonObject().has("readings")) {
                readings.addAll(mergeTree(tree, ReadingBatch.newBuilder()).getReadingsList());
            } else if (tree.isJsonObject()) {
                readings.add(mergeTree(tree, Reading.newBuilder()).build());
            } else {
                throw new PayloadException(RejectReason.UNDECODABLE, "JSON payload is neither an object nor an array");
            }
            return readings;
        }
        try {
            if (contentType != null && contentType.contains(SINGLE_READING_TYPE)) {
                return List.of(Reading.parseFrom(payload));
            }
            return ReadingBatch.parseFrom(payload).getReadingsList();
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadException(RejectReason.UNDECODABLE, "Not valid protobuf: " + e.getMessage(), e);
        }
    }

    public static DeviceEvent decodeDeviceEvent(byte[] payload, String contentType) throws PayloadException {
        if (isJson(payload, contentType)) {
            return mergeJson(new String(payload, StandardCharsets.UTF_8), DeviceEvent.newBuilder()).build();
        }
        try {
            return DeviceEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadException(RejectReason.UNDECODABLE, "Not valid protobuf: " + e.getMessage(), e);
        }
    }

    public static GatewayStatus decodeGatewayStatus(byte[] payload, String contentType) throws PayloadException {
        if (isJson(payload, contentType)) {
            return mergeJson(new String(payload, StandardCharsets.UTF_8), GatewayStatus.newBuilder()).build();
        }
        try {
            return GatewayStatus.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadException(RejectReason.UNDECODABLE, "Not valid protobuf: " + e.getMessage(), e);
        }
    }

    static boolean isJson(byte[] payload, String contentType) {
        if (contentType != null && !contentType.isBlank()) {
            return contentType.startsWith(CONTENT_TYPE_JSON);
        }
        for (byte b : payload) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    private static JsonElement parseTree(String json) throws PayloadException {
        try {
            JsonElement tree = JsonParser.parseString(json);
            if (tree == null || tree.isJsonNull()) {
                throw new PayloadException(RejectReason.UNDECODABLE, "Empty JSON payload");
            }
            return tree;
        } catch (JsonParseException e) {
            throw new PayloadException(RejectReason.UNDECODABLE, "Malformed JSON: " + rootMessage(e), e);
        }
    }

    private static <B extends Message.Builder> B mergeTree(JsonElement tree, B builder) throws PayloadException {
        if (!(tree instanceof JsonObject)) {
            throw new PayloadException(RejectReason.WRONG_TYPE,
                    "Expected a JSON object for " + builder.getDescriptorForType().getName() + " but got " + tree);
        }
        try {
            PARSER.merge(tree.toString(), builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadException(RejectReason.WRONG_TYPE, rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        if (root != e && root.getMessage() != null && (message == null || !message.contains(root.getMessage()))) {
            message = (message == null ? "" : message + ": ") + root.getMessage();
        }
        return message;
    }
}
