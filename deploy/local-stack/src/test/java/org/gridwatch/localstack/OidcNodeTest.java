package org.gridwatch.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class OidcNodeTest {

    private static List<JsonObject> mappings() {
        JsonObject config = JsonParser.parseString(OidcNode.configJson(java.nio.file.Path.of("sign-in.html"))).getAsJsonObject();
        JsonObject callback = config.getAsJsonArray("tokenCallbacks").get(0).getAsJsonObject();
        assertThat(callback.get("issuerId").getAsString()).isEqualTo("gridwatch");
        List<JsonObject> mappings = new ArrayList<>();
        for (JsonElement mapping : callback.getAsJsonArray("requestMappings")) {
            mappings.add(mapping.getAsJsonObject());
        }
        return mappings;
    }

    @Test
    void everyPersonSignsInWithTheirRolesAndAreaBySignInPageAndByPasswordGrant() {
        List<JsonObject> worker = mappings().stream()
                .filter(m -> m.getAsJsonObject("claims").has("sub")
                        && m.getAsJsonObject("claims").get("sub").getAsString().equals("w1")).toList();

        assertThat(worker).extracting(m -> m.get("requestParam").getAsString()).containsExactly("subject", "username");
        JsonObject claims = worker.get(0).getAsJsonObject("claims");
        assertThat(claims.getAsJsonArray("roles").get(0).getAsString()).isEqualTo("grid-worker");
        assertThat(claims.get("area").getAsString()).isEqualTo("lf-c1-g1");
        assertThat(claims.getAsJsonArray("aud").get(0).getAsString()).isEqualTo("gridwatch");
        // Anchored: w1 is not w10.
        assertThat("w10").doesNotMatch(worker.get(0).get("match").getAsString());
    }

    @Test
    void anyoneElseGetsNoRoleAndTheCatchAllsComeLast() {
        List<JsonObject> mappings = mappings();
        List<JsonObject> last = mappings.subList(mappings.size() - 2, mappings.size());

        assertThat(last).allSatisfy(m -> {
            assertThat(m.get("match").getAsString()).isEqualTo(".*");
            assertThat(m.getAsJsonObject("claims").getAsJsonArray("roles")).isEmpty();
        });
        assertThat(mappings).anySatisfy(m -> {
            assertThat(m.get("requestParam").getAsString()).isEqualTo("grant_type");
            assertThat(m.getAsJsonObject("claims").getAsJsonArray("roles").get(0).getAsString()).isEqualTo("service");
        });
    }

    @Test
    void theSignInPageOffersEveryDemoPersonAndNeedsNothingFromTheInternet() {
        String page = OidcNode.signInPage();

        assertThat(page).contains("value=\"op-lf-c1\"", "value=\"w1\"", "name=\"claims\"");
        assertThat(page).doesNotContain("http://", "https://", "//fonts");
    }
}
