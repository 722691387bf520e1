package org.gridwatch.dispatch.api;

import java.util.Base64;
import java.util.Map;

import jakarta.ws.rs.BadRequestException;

import org.gridwatch.dispatch.store.TaskActions;

/**
 * The body of an action on a task, as phones and consoles send it, and its checks: a request id
 * (a retry with the same one changes nothing), a note or reason, where the actor is, a photo.
 */
public record ActionBody(String requestId, String note, Double latitude, Double longitude, String photo,
                      String photoType, String workerId) {

    /** Largest photo accepted, decoded: a phone photo scaled for a report. */
    static final int MAX_PHOTO_BYTES = 5 * 1024 * 1024;

    /** Media types accepted for photos, with the bytes their files start with. */
    private static final Map<String, byte[]> PHOTO_TYPES = Map.of(
            "image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'},
            "image/webp", new byte[] {'R', 'I', 'F', 'F'});

    /** Checks the body and turns it into the store's request. */
    static TaskActions.Request toRequest(ActionBody body) {
        if (body == null) {
            return TaskActions.Request.note(null);
        }
        if (body.requestId() != null && (body.requestId().isBlank() || body.requestId().length() > 100)) {
            throw new BadRequestException("requestId must be 1 to 100 characters");
        }
        if ((body.latitude() == null) != (body.longitude() == null)) {
            throw new BadRequestException("latitude and longitude come together");
        }
        if (body.latitude() != null && (Math.abs(body.latitude()) > 90 || Math.abs(body.longitude()) > 180)) {
            throw new BadRequestException("latitude must be within ±90 and longitude within ±180");
        }
        return new TaskActions.Request(body.requestId(), body.note(), body.latitude(), body.longitude(),
                photo(body), body.photo() == null ? null : body.photoType(), body.workerId());
    }

    private static byte[] photo(ActionBody body) {
        if (body.photo() == null) {
            return null;
        }
        byte[] magic = body.photoType() == null ? null : PHOTO_TYPES.get(body.photoType());
        if (magic == null) {
            throw new BadRequestException("photoType must be one of " + PHOTO_TYPES.keySet().stream().sorted().toList()
                    + ", got '" + body.photoType() + "'");
        }
        if (body.photo().length() > MAX_PHOTO_BYTES / 3 * 4 + 4) {
            throw new BadRequestException("photo is larger than " + MAX_PHOTO_BYTES / 1024 / 1024 + " MB");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body.photo());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("photo must be base64: " + e.getMessage());
        }
        if (bytes.length > MAX_PHOTO_BYTES) {
            throw new BadRequestException("photo is larger than " + MAX_PHOTO_BYTES / 1024 / 1024 + " MB");
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes.length <= i || bytes[i] != magic[i]) {
                throw new BadRequestException("photo is not a " + body.photoType() + " file");
            }
        }
        return bytes;
    }
}
