package org.gridwatch.localstack.mqttauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gridwatch.contract.CredentialHash;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.localstack.mqttauth.MqttPrincipals.Decision;
import org.gridwatch.localstack.mqttauth.MqttPrincipals.Permission;
import org.gridwatch.localstack.mqttauth.MqttPrincipals.Refusal;
import org.junit.jupiter.api.Test;

class MqttPrincipalsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final Map<String, MqttCredential> registry = new ConcurrentHashMap<>();
    private final MqttPrincipals principals = new MqttPrincipals(id -> Optional.ofNullable(registry.get(id)),
            List.of(new MqttPrincipals.Service("gridwatch-ingest", "bridge-secret", "gridwatch-ingest")));

    private String issue(String gatewayId) {
        CredentialHash.Issued issued = CredentialHash.issue(gatewayId, NOW);
        registry.put(gatewayId, issued.credential());
        return issued.secret();
    }

    @Test
    void aGatewayWithItsSecretMayPublishItsOwnTopicsAndReadItsOwnCommandsOnly() {
        String secret = issue("gw-1");

        Decision decision = principals.connect("gw-1", "gw-1", secret, "gridwatch/v1/gw-1/status");

        assertThat(decision.accepted()).isTrue();
        assertThat(decision.permissions()).containsExactlyInAnyOrder(
                new Permission("gridwatch/v1/gw-1/telemetry", true, null),
                new Permission("gridwatch/v1/gw-1/events", true, null),
                new Permission("gridwatch/v1/gw-1/status", true, null),
                new Permission("gridwatch/v1/gw-1/cmd/#", false, null));
    }

    @Test
    void anonymousUnknownAndWrongSecretsAreBadUserNameOrPassword() {
        String secret = issue("gw-1");

        assertThat(principals.connect(null, "gw-1", null, null).refusal()).contains(Refusal.BAD_USER_NAME_OR_PASSWORD);
        assertThat(principals.connect("gw-1", "gw-1", null, null).refusal()).contains(Refusal.BAD_USER_NAME_OR_PASSWORD);
        assertThat(principals.connect("gw-1", "gw-1", secret + "x", null).refusal())
                .contains(Refusal.BAD_USER_NAME_OR_PASSWORD);
        Decision unknown = principals.connect("gw-2", "gw-2", secret, null);
        assertThat(unknown.refusal()).contains(Refusal.BAD_USER_NAME_OR_PASSWORD);
        assertThat(unknown.reason()).contains("POST /api/v1/gateways/gw-2/credentials");
        assertThat(principals.connect("gw-1/#", "gw-1/#", secret, null).refusal())
                .contains(Refusal.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void theClientIdMustBeTheGatewaysIdAndItsWillItsOwnStatus() {
        String secret = issue("gw-1");

        assertThat(principals.connect("gw-1", "someone-else", secret, null).refusal())
                .contains(Refusal.CLIENT_IDENTIFIER_NOT_VALID);
        Decision foreignWill = principals.connect("gw-1", "gw-1", secret, "gridwatch/v1/gw-2/status");
        assertThat(foreignWill.refusal()).contains(Refusal.NOT_AUTHORIZED);
        assertThat(foreignWill.reason()).contains("gridwatch/v1/gw-1/status");
    }

    @Test
    void aRotatedSecretReplacesTheOldOneAndARevokedGatewayIsNotAuthorized() {
        String first = issue("gw-1");
        assertThat(principals.connect("gw-1", "gw-1", first, null).accepted()).isTrue();

        String second = issue("gw-1");
        assertThat(principals.connect("gw-1", "gw-1", first, null).accepted()).isFalse();
        assertThat(principals.connect("gw-1", "gw-1", second, null).accepted()).isTrue();

        registry.put("gw-1", registry.get("gw-1").toBuilder().clearHash().clearSalt()
                .setRevokedAt(Timestamps.of(NOW)).build());
        Decision revoked = principals.connect("gw-1", "gw-1", second, null);
        assertThat(revoked.refusal()).contains(Refusal.NOT_AUTHORIZED);
        assertThat(revoked.reason()).contains("revoked");
    }

    @Test
    void aRememberedSecretStillRefusesOthersAndARotationIsNoticedWithoutBeingTold() {
        String secret = issue("gw-1");
        assertThat(principals.connect("gw-1", "gw-1", secret, null).accepted()).isTrue();
        assertThat(principals.connect("gw-1", "gw-1", secret, null).accepted()).isTrue();
        assertThat(principals.connect("gw-1", "gw-1", secret + "x", null).accepted()).isFalse();

        // A rotation the memory was not told about: the credential's hash changed, so it verifies afresh.
        CredentialHash.Issued rotated = CredentialHash.issue("gw-1", NOW);
        registry.put("gw-1", rotated.credential());
        assertThat(principals.connect("gw-1", "gw-1", secret, null).accepted()).isFalse();
        assertThat(principals.connect("gw-1", "gw-1", rotated.secret(), null).accepted()).isTrue();
    }

    @Test
    void theIngestBridgeMayOnlySubscribeInItsSharedGroup() {
        Decision bridge = principals.connect("gridwatch-ingest", "gridwatch-ingest-host", "bridge-secret", null);

        assertThat(bridge.accepted()).isTrue();
        assertThat(bridge.permissions()).allSatisfy(p -> {
            assertThat(p.publish()).isFalse();
            assertThat(p.sharedGroup()).isEqualTo("gridwatch-ingest");
        }).extracting(Permission::topicFilter).containsExactlyInAnyOrder("gridwatch/v1/+/telemetry",
                "gridwatch/v1/+/events", "gridwatch/v1/+/status");
        assertThat(principals.connect("gridwatch-ingest", "x", "wrong", null).refusal())
                .contains(Refusal.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void aPublishOutsideTheGatewaysOwnTopicsIsRefusedWithWhereItMayPublish() {
        assertThat(MqttPrincipals.publishRefusal("gw-1", "gridwatch/v1/gw-1/telemetry")).isEmpty();
        assertThat(MqttPrincipals.publishRefusal("gw-1", "gridwatch/v1/gw-1/status")).isEmpty();
        assertThat(MqttPrincipals.publishRefusal("gw-1", "gridwatch/v1/gw-2/telemetry")).hasValueSatisfying(reason ->
                assertThat(reason).contains("gridwatch/v1/gw-1/telemetry").contains("not on gridwatch/v1/gw-2/telemetry"));
        assertThat(MqttPrincipals.publishRefusal("gw-1", "gridwatch/v1/gw-1/cmd/reboot")).isPresent();
    }
}
