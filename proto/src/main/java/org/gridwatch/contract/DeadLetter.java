package org.gridwatch.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record a GridWatch service set aside instead of acting on it, in the one shape every
 * dead-letter topic uses: the original bytes as the record's value, and headers with the reason
 * ({@link RejectReason}), a detail a person can act on, and where it came from (an MQTT topic, or
 * {@code topic/partition@offset} for a Kafka record). Only what can never be acted on is set aside:
 * what cannot be decoded, or what the owning service refuses for good; a failure that passes (a
 * database away, a lost race) is retried instead.
 */
public record DeadLetter(RejectReason reason, String detail, String source, byte[] payload) {

    public DeadLetter {
        detail = detail == null ? "" : detail;
        payload = payload == null ? new byte[0] : payload;
    }

    /** Where a Kafka record came from, as the source header names it. */
    public static String source(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    /** The headers of the dead-letter record. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Topics.HEADER_REASON, reason.name());
        headers.put(Topics.HEADER_DETAIL, detail);
        headers.put(Topics.HEADER_SOURCE_TOPIC, source);
        return headers;
    }
}
