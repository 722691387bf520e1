package org.gridwatch.ingest.domain;

import java.util.Map;

/** One Kafka record the bridge will write for an MQTT message: an accepted record or a dead letter. */
public record Outgoing(String topic, String key, byte[] value, Map<String, String> headers) {

    public boolean isDeadLetter() {
        return headers.containsKey(org.gridwatch.contract.Topics.HEADER_REASON);
    }
}
