package org.gridwatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.gridwatch.contract.v1.MqttCredential;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

class CredentialHashTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void theIssuedSecretMatchesAndNothingElseDoes() {
        CredentialHash.Issued issued = CredentialHash.issue("gw-b1-101", NOW);

        assertThat(CredentialHash.matches(issued.credential(), issued.secret())).isTrue();
        assertThat(CredentialHash.matches(issued.credential(), issued.secret() + "x")).isFalse();
        assertThat(CredentialHash.matches(issued.credential(), "")).isFalse();
        assertThat(CredentialHash.matches(issued.credential(), null)).isFalse();
    }

    @Test
    void theCredentialKeepsNoTraceOfTheSecret() {
        CredentialHash.Issued issued = CredentialHash.issue("gw-b1-101", NOW);
        MqttCredential credential = issued.credential();

        assertThat(credential.getPrincipal()).isEqualTo("gw-b1-101");
        assertThat(credential.getAlgorithm()).isEqualTo("PBKDF2WithHmacSHA512");
        assertThat(credential.getIterations()).isEqualTo(CredentialHash.ITERATIONS);
        assertThat(credential.getSalt().size()).isEqualTo(12);
        assertThat(credential.getHash().size()).isEqualTo(64);
        assertThat(credential.toByteString().toString(StandardCharsets.ISO_8859_1)).doesNotContain(issued.secret());
        assertThat(ProtoJson.toJson(credential)).doesNotContain(issued.secret());
        assertThat(Timestamps.toInstant(credential.getIssuedAt())).isEqualTo(NOW);
    }

    @Test
    void twoIssuesShareNeitherSecretNorSalt() {
        CredentialHash.Issued first = CredentialHash.issue("gw-b1-101", NOW);
        CredentialHash.Issued second = CredentialHash.issue("gw-b1-101", NOW);

        assertThat(second.secret()).isNotEqualTo(first.secret());
        assertThat(second.credential().getSalt()).isNotEqualTo(first.credential().getSalt());
        assertThat(CredentialHash.matches(second.credential(), first.secret())).isFalse();
        // The same secret under another salt hashes differently.
        MqttCredential again = CredentialHash.credential("svc", "same-secret", NOW);
        MqttCredential other = CredentialHash.credential("svc", "same-secret", NOW);
        assertThat(again.getHash()).isNotEqualTo(other.getHash());
        assertThat(CredentialHash.matches(other, "same-secret")).isTrue();
    }

    @Test
    void aRevokedOrAlteredCredentialMatchesNothing() {
        CredentialHash.Issued issued = CredentialHash.issue("gw-b1-101", NOW);
        MqttCredential credential = issued.credential();

        assertThat(CredentialHash.matches(credential.toBuilder().setRevokedAt(Timestamps.of(NOW)).build(),
                issued.secret())).isFalse();
        assertThat(CredentialHash.matches(credential.toBuilder().setAlgorithm("MD5").build(), issued.secret())).isFalse();
        assertThat(CredentialHash.matches(credential.toBuilder().setIterations(1).build(), issued.secret())).isFalse();
        assertThat(CredentialHash.matches(credential.toBuilder().setSalt(ByteString.copyFromUtf8("0123456789abcdef"))
                .build(), issued.secret())).isFalse();
        assertThat(CredentialHash.matches(credential.toBuilder().clearHash().build(), issued.secret())).isFalse();
    }
}
