package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.gridwatch.contract.CredentialHash;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.contract.v1.RegistryRecord;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * An administrator issues, rotates and revokes a gateway's MQTT credentials through the registry:
 * the secret appears in the answer to an issue and nowhere else (not in a later look-up, not on
 * the registry topic, where only its salted slow hash goes), a rotation makes the earlier secret
 * worthless, and a revocation leaves nothing that matches.
 */
class GatewayCredentialsTest extends SystemTest {

    private static final String GATEWAY = "gw-b3";

    @Test
    void issueRotateAndRevokeAGatewaysCredentials() throws Exception {
        try (TopicReader registry = new TopicReader(system.endpoints().kafkaBootstrap(), Topics.REGISTRY)) {
            HttpResponse<String> issued = system.post("registry", "/api/v1/gateways/" + GATEWAY + "/credentials", "");
            assertThat(issued.statusCode()).as(issued.body()).isIn(200, 201);
            assertThat(issued.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
            JsonObject first = JsonParser.parseString(issued.body()).getAsJsonObject();
            String firstSecret = first.get("secret").getAsString();
            assertThat(firstSecret).hasSizeGreaterThanOrEqualTo(43);
            assertThat(first.get("state").getAsString()).isEqualTo("ACTIVE");
            assertThat(first.get("note").getAsString()).contains("shown this once").contains(GATEWAY);

            HttpResponse<String> status = system.getResponse("registry", "/api/v1/gateways/" + GATEWAY + "/credentials");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"ACTIVE\"").doesNotContain(firstSecret).doesNotContain("secret");

            HttpResponse<String> rotated = system.post("registry", "/api/v1/gateways/" + GATEWAY + "/credentials", "");
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            JsonObject second = JsonParser.parseString(rotated.body()).getAsJsonObject();
            assertThat(second.get("replacedEarlier").getAsBoolean()).isTrue();
            String secondSecret = second.get("secret").getAsString();
            assertThat(secondSecret).isNotEqualTo(firstSecret);

            // What went to the registry topic: hashes that match the current secret only, never a secret.
            List<MqttCredential> published = new ArrayList<>();
            await("both credentials on the registry topic").atMost(Duration.ofSeconds(30)).until(() -> {
                for (TopicReader.Received record : registry.poll()) {
                    assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
                            .doesNotContain(firstSecret).doesNotContain(secondSecret);
                    RegistryRecord value = RegistryRecord.parseFrom(record.value());
                    if (value.hasMqttCredential() && value.getMqttCredential().getPrincipal().equals(GATEWAY)) {
                        assertThat(record.key()).isEqualTo("mqtt-credential/" + GATEWAY);
                        published.add(value.getMqttCredential());
                    }
                }
                return published.size() >= 2;
            });
            MqttCredential latest = published.get(published.size() - 1);
            assertThat(CredentialHash.matches(latest, secondSecret)).isTrue();
            assertThat(CredentialHash.matches(latest, firstSecret)).isFalse();

            HttpResponse<String> revoked = system.delete("registry", "/api/v1/gateways/" + GATEWAY + "/credentials");
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            assertThat(revoked.body()).contains("\"REVOKED\"").contains("revokedAt");
            await("the revocation on the registry topic").atMost(Duration.ofSeconds(30)).until(() -> {
                for (TopicReader.Received record : registry.poll()) {
                    RegistryRecord value = RegistryRecord.parseFrom(record.value());
                    if (value.hasMqttCredential() && value.getMqttCredential().getPrincipal().equals(GATEWAY)) {
                        published.add(value.getMqttCredential());
                    }
                }
                return published.get(published.size() - 1).hasRevokedAt();
            });
            MqttCredential gone = published.get(published.size() - 1);
            assertThat(gone.getHash().isEmpty()).isTrue();
            assertThat(CredentialHash.matches(gone, secondSecret)).isFalse();
            assertThat(system.getResponse("registry", "/api/v1/gateways/" + GATEWAY + "/credentials").body())
                    .contains("\"REVOKED\"");
        }
    }

    @Test
    void credentialsOfAnUnknownGatewayAreRefusedWithAProblem() {
        HttpResponse<String> refused = system.post("registry", "/api/v1/gateways/gw-nowhere/credentials", "");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("No gateway gw-nowhere").contains("GET /api/v1/gateways");
        assertThat(system.delete("registry", "/api/v1/gateways/gw-nowhere/credentials").statusCode()).isEqualTo(404);
        // A gateway of the demo that no test issues credentials for.
        HttpResponse<String> none = system.getResponse("registry", "/api/v1/gateways/gw-b4/credentials");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("has no MQTT credentials yet").contains("POST /api/v1/gateways/gw-b4/credentials");
    }
}
