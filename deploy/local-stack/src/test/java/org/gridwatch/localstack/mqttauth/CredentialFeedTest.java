package org.gridwatch.localstack.mqttauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.gridwatch.contract.CredentialHash;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.contract.v1.RegistryRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the broker makes of the registry topic's credential records, without a broker (nothing is polled). */
class CredentialFeedTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final List<String> withdrawn = new ArrayList<>();
    private final CredentialFeed feed = new CredentialFeed("127.0.0.1:9", withdrawn::add);

    @AfterEach
    void close() {
        feed.close();
    }

    private static byte[] record(MqttCredential credential) {
        return RegistryRecord.newBuilder().setMqttCredential(credential).build().toByteArray();
    }

    @Test
    void aReplacedOrRevokedCredentialClosesTheSessionsOfTheOldOne() {
        MqttCredential first = CredentialHash.issue("gw-1", NOW).credential();
        feed.apply("mqtt-credential/gw-1", record(first));
        feed.apply("mqtt-credential/gw-1", record(first));
        assertThat(feed.credential("gw-1")).contains(first);
        assertThat(withdrawn).as("a first issue, and the same credential read again").isEmpty();

        MqttCredential second = CredentialHash.issue("gw-1", NOW).credential();
        feed.apply("mqtt-credential/gw-1", record(second));
        assertThat(withdrawn).containsExactly("gw-1");

        MqttCredential revoked = second.toBuilder().clearHash().clearSalt().setRevokedAt(Timestamps.of(NOW)).build();
        feed.apply("mqtt-credential/gw-1", record(revoked));
        assertThat(withdrawn).containsExactly("gw-1", "gw-1");
        assertThat(feed.credential("gw-1")).hasValueSatisfying(c -> assertThat(c.hasRevokedAt()).isTrue());

        // Already revoked: removing it closes nothing more.
        feed.apply("mqtt-credential/gw-1", null);
        assertThat(withdrawn).hasSize(2);
        assertThat(feed.credential("gw-1")).isEmpty();
    }

    @Test
    void otherRegistryRecordsAndUndecodableOnesAreLeftAlone() {
        feed.apply("gateway/gw-1", new byte[] {1, 2, 3});
        feed.apply("mqtt-credential/gw-2", new byte[] {(byte) 0xff, (byte) 0xff});
        feed.apply(null, null);
        assertThat(feed.credential("gw-1")).isEmpty();
        assertThat(feed.credential("gw-2")).isEmpty();
        assertThat(withdrawn).isEmpty();
    }
}
