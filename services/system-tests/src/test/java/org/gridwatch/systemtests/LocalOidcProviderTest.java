package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.gridwatch.testsupport.Infrastructure;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The local stack's OpenID Connect provider, as a script or a console meets it: discovery at the
 * issuer, a token for a person of the demo with their roles and area, one for a service's client
 * with the machine role, and none of either for a stranger.
 */
class LocalOidcProviderTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tokensCarryThePersonsRolesAndAreaAndAStrangerGetsNoRole() throws Exception {
        String issuer = Infrastructure.get().oidcIssuer();
        assumeTrue(issuer != null, "this infrastructure has no OIDC provider (only the local stack starts one)");

        JsonObject discovery = JsonParser.parseString(http.send(HttpRequest.newBuilder(
                URI.create(issuer + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
        assertThat(discovery.get("issuer").getAsString()).isEqualTo(issuer);

        JsonObject operator = claims(token(issuer, "grant_type=password&username=op-lf-c1&password=-&client_id=gridwatch-test"));
        assertThat(operator.get("sub").getAsString()).isEqualTo("op-lf-c1");
        assertThat(operator.getAsJsonArray("roles").get(0).getAsString()).isEqualTo("operator");
        assertThat(operator.get("area").getAsString()).isEqualTo("lf-c1");
        assertThat(operator.get("iss").getAsString()).isEqualTo(issuer);
        assertThat(operator.get("aud").getAsString()).isEqualTo("gridwatch");

        JsonObject service = claims(token(issuer, "grant_type=client_credentials&client_id=gridwatch-detection&client_secret=-"));
        assertThat(service.get("sub").getAsString()).isEqualTo("gridwatch-detection");
        assertThat(service.getAsJsonArray("roles").get(0).getAsString()).isEqualTo("service");

        JsonObject stranger = claims(token(issuer, "grant_type=password&username=mallory&password=-&client_id=gridwatch-test"));
        assertThat(stranger.getAsJsonArray("roles")).isEmpty();
        assertThat(stranger.has("area")).isFalse();
    }

    private String token(String issuer, String form) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonParser.parseString(response.body()).getAsJsonObject().get("access_token").getAsString();
    }

    private static JsonObject claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return JsonParser.parseString(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }
}
