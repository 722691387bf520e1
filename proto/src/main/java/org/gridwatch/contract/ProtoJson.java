package org.gridwatch.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.v1.DeviceEvent;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.ReadingBatch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
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
            String path = locate(tree.getAsJsonObject(), builder.getDescriptorForType());
            throw new PayloadException(RejectReason.WRONG_TYPE, (path == null ? "" : path + ": ") + rootMessage(e), e);
        }
    }

    /** Finds the field path ("threshold.levels[1].atOrAbove") of the value the parser refused, or null. */
    private static String locate(JsonObject object, Descriptors.Descriptor type) {
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            JsonObject single = new JsonObject();
            single.add(entry.getKey(), entry.getValue());
            try {
                PARSER.merge(single.toString(), DynamicMessage.newBuilder(type));
                continue;
            } catch (InvalidProtocolBufferException refused) {
                // This entry holds the problem; look inside it for the exact field.
            }
            String path = entry.getKey();
            Descriptors.FieldDescriptor field = field(type, entry.getKey());
            if (field == null || field.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE
                    || field.isMapField()) {
                return path;
            }
            JsonElement value = entry.getValue();
            if (value.isJsonObject()) {
                String inner = locate(value.getAsJsonObject(), field.getMessageType());
                return inner == null ? path : path + "." + inner;
            }
            if (value.isJsonArray()) {
                JsonArray items = value.getAsJsonArray();
                for (int i = 0; i < items.size(); i++) {
                    if (!items.get(i).isJsonObject()) {
                        return path + "[" + i + "]";
                    }
                    String inner = locate(items.get(i).getAsJsonObject(), field.getMessageType());
                    if (inner != null) {
                        return path + "[" + i + "]." + inner;
                    }
                }
            }
            return path;
        }
        return null;
    }

    private static Descriptors.FieldDescriptor field(Descriptors.Descriptor type, String jsonName) {
        for (Descriptors.FieldDescriptor field : type.getFields()) {
            if (field.getJsonName().equals(jsonName) || field.getName().equals(jsonName)) {
                return field;
            }
        }
        return null;
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
