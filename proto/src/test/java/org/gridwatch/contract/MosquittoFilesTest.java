package org.gridwatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.gridwatch.contract.v1.MqttCredential;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

class MosquittoFilesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void activeCredentialsBecomeSevenDollarEntriesInGatewayOrderAndRevokedOnesAreLeftOut() {
        MqttCredential b = CredentialHash.issue("gw-b", NOW).credential();
        MqttCredential a = CredentialHash.issue("gw-a", NOW).credential();
        MqttCredential revoked = CredentialHash.issue("gw-c", NOW).credential().toBuilder().clearHash().clearSalt()
                .setRevokedAt(Timestamps.of(NOW)).build();

        List<String> lines = MosquittoFiles.passwordFile(List.of(b, revoked, a)).lines().filter(l -> !l.startsWith("#"))
                .toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("gw-a:$7$" + CredentialHash.ITERATIONS + "$"
                + Base64.getEncoder().encodeToString(a.getSalt().toByteArray()) + "$"
                + Base64.getEncoder().encodeToString(a.getHash().toByteArray()));
        assertThat(lines.get(1)).startsWith("gw-b:$7$");
    }

    @Test
    void aCredentialMosquittoCannotReadIsACommentSayingToIssueItAgain() {
        MqttCredential sixteenByteSalt = CredentialHash.issue("gw-old", NOW).credential().toBuilder()
                .setSalt(ByteString.copyFrom(new byte[16])).build();

        assertThat(MosquittoFiles.passwordFile(List.of(sixteenByteSalt)))
                .contains("# gw-old: these credentials cannot be read by Mosquitto")
                .contains("issue them again")
                .doesNotContain("gw-old:$7$");
    }

    @Test
    void theAclHoldsEveryGatewayToItsOwnTopicsAndLetsTheBridgeRead() {
        String acl = MosquittoFiles.aclFile("ingest-bridge");

        assertThat(acl).contains("user ingest-bridge\ntopic read gridwatch/v1/+/telemetry")
                .contains("pattern write gridwatch/v1/%u/telemetry")
                .contains("pattern read gridwatch/v1/%u/cmd/#")
                .doesNotContain("topic write");
    }
}
