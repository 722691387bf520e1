package org.gridwatch.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The local OpenID Connect provider (navikt's mock-oauth2-server, {@code deploy/oidc-provider}),
 * in a JVM and on a class path of its own: issuer {@code gridwatch}, the demo community's people
 * ({@code oidc-people.json}) with their roles and area, every client of the client-credentials
 * grant as a GridWatch service (role {@code service}), and the people automated tests make up
 * (user names {@code test-...}, roles and area given in the token request). Tokens are for the
 * audience {@code gridwatch}.
 *
 * <p>It is a provider for one machine: it asks for no password (the person types a user name on
 * its sign-in page, or a script names one in a password grant), which is why the launcher binds it
 * to 127.0.0.1 only. An installation uses its own provider (docker compose: Keycloak).
 */
final class OidcNode {

    static final String ISSUER = "gridwatch";
    static final String AUDIENCE = "gridwatch";
    static final String SERVICE_ROLE = "service";
    /** User names the tests make up, with roles and area of their choosing. */
    static final String TEST_PEOPLE = "^test-[A-Za-z0-9._-]+$";

    private OidcNode() {
    }

    static ManagedProcess start(StackOptions options, Path dataDir) throws LocalStack.StartupException {
        Path jar = providerJar();
        Path config = dataDir.resolve("oidc").resolve("config.json");
        Path signInPage = dataDir.resolve("oidc").resolve("sign-in.html");
        try {
            Files.createDirectories(config.getParent());
            Files.writeString(signInPage, signInPage(), StandardCharsets.UTF_8);
            Files.writeString(config, configJson(signInPage), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalStack.StartupException("cannot write the OIDC provider's configuration " + config + ": "
                    + e.getMessage());
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-jar", jar.toString());
        return ManagedProcess.start("oidc", dataDir.resolve("logs").resolve("oidc.log"), command, Map.of(
                "JSON_CONFIG_PATH", config.toString(),
                "SERVER_HOSTNAME", "127.0.0.1",
                "SERVER_PORT", String.valueOf(options.oidcPort())));
    }

    /** {@code deploy/oidc-provider/target/oidc-provider.jar}, beside this launcher's own module. */
    private static Path providerJar() throws LocalStack.StartupException {
        Path jar;
        try {
            Path launcher = Path.of(OidcNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // deploy/local-stack/target/local-stack.jar (or target/classes) -> deploy/oidc-provider/target
            jar = launcher.getParent().getParent().getParent().resolve("oidc-provider/target/oidc-provider.jar");
        } catch (URISyntaxException | NullPointerException e) {
            throw new LocalStack.StartupException("cannot tell where the launcher is: " + e.getMessage());
        }
        if (!Files.exists(jar)) {
            throw new LocalStack.StartupException("The OIDC provider is not built: " + jar
                    + " is missing. Build it with 'mvn -pl deploy/oidc-provider package' (make build does).");
        }
        return jar;
    }

    /** mock-oauth2-server's JSON_CONFIG: one mapping per person for the sign-in page and the password grant. */
    static String configJson(Path signInPage) {
        JsonArray mappings = new JsonArray();
        for (JsonElement element : people()) {
            JsonObject person = element.getAsJsonObject();
            JsonObject claims = new JsonObject();
            String user = person.get("user").getAsString();
            claims.addProperty("sub", user);
            claims.addProperty("preferred_username", user);
            claims.addProperty("name", person.get("name").getAsString());
            claims.add("roles", person.get("roles"));
            claims.addProperty("area", person.get("area").getAsString());
            claims.add("aud", audience());
            for (String param : List.of("subject", "username")) {
                mappings.add(mapping(param, "^" + java.util.regex.Pattern.quote(user) + "$", claims));
            }
        }
        JsonObject service = new JsonObject();
        service.addProperty("sub", "${clientId}");
        JsonArray serviceRoles = new JsonArray();
        serviceRoles.add(SERVICE_ROLE);
        service.add("roles", serviceRoles);
        service.add("aud", audience());
        mappings.add(mapping("grant_type", "client_credentials", service));
        // Automated tests make people of their own: a password grant for a user named test-... takes its
        // roles (space-separated) and area from the request's own parameters.
        JsonObject testPerson = new JsonObject();
        testPerson.addProperty("sub", "${username}");
        testPerson.addProperty("preferred_username", "${username}");
        testPerson.addProperty("roles", "${roles}");
        testPerson.addProperty("area", "${area}");
        testPerson.add("aud", audience());
        mappings.add(mapping("username", TEST_PEOPLE, testPerson));
        // ... and on the sign-in page (a browser test), with the roles and area in the page's claims field.
        JsonObject testPersonSigningIn = new JsonObject();
        testPersonSigningIn.add("aud", audience());
        mappings.add(mapping("subject", TEST_PEOPLE, testPersonSigningIn));
        // Anyone else signs in as nobody: a valid token with no role, refused everywhere (403).
        JsonObject nobody = new JsonObject();
        nobody.add("roles", new JsonArray());
        nobody.add("aud", audience());
        mappings.add(mapping("subject", ".*", nobody));
        mappings.add(mapping("username", ".*", nobody));

        JsonObject callback = new JsonObject();
        callback.addProperty("issuerId", ISSUER);
        callback.addProperty("tokenExpiry", 3600);
        callback.add("requestMappings", mappings);
        JsonArray callbacks = new JsonArray();
        callbacks.add(callback);
        JsonObject config = new JsonObject();
        config.addProperty("interactiveLogin", true);
        config.addProperty("loginPagePath", signInPage.toString());
        config.addProperty("httpServer", "NettyWrapper");
        config.add("tokenCallbacks", callbacks);
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        return gson.toJson(config);
    }

    /**
     * The provider's sign-in page: GridWatch's own (the provider's would fetch a font from the
     * internet), one button per demo person, and a field for any other user name.
     */
    static String signInPage() {
        StringBuilder buttons = new StringBuilder();
        for (JsonElement element : people()) {
            JsonObject person = element.getAsJsonObject();
            String user = person.get("user").getAsString();
            buttons.append("<button type=\"submit\" name=\"username\" value=\"").append(html(user)).append("\">")
                    .append("<b>").append(html(user)).append("</b><span>").append(html(person.get("name").getAsString()))
                    .append(" · ").append(html(String.join(", ", person.get("roles").getAsJsonArray().asList().stream()
                            .map(JsonElement::getAsString).toList())))
                    .append(" · ").append(html(person.get("area").getAsString())).append("</span></button>\n");
        }
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in to GridWatch</title>
                <style>
                body{margin:0;font-family:system-ui,sans-serif;background:#0f1720;color:#e6edf3}
                main{max-width:34rem;margin:0 auto;padding:1.5rem}
                h1{font-size:1.4rem} p{color:#8fa1b3}
                .people{display:grid;gap:.5rem}
                button{font:inherit;text-align:left;padding:.7rem .9rem;border-radius:8px;border:1px solid #263442;
                background:#17212c;color:#e6edf3;cursor:pointer}
                button:hover{border-color:#4aa3ff} button span{display:block;color:#8fa1b3;font-size:.9rem}
                details{margin-top:1.5rem} input,textarea{width:100%;font:inherit;margin:.3rem 0;padding:.5rem;
                background:#17212c;color:#e6edf3;border:1px solid #263442;border-radius:6px}
                </style></head><body><main>
                <h1>Sign in to GridWatch</h1>
                <p>The local provider of this machine asks for no password: choose who you are. An installation
                signs people in with its own provider.</p>
                <form method="post" class="people">
                {{people}}</form>
                <details><summary>Someone else</summary>
                <form method="post" id="other">
                <label>User name <input id="username" name="username" required autocomplete="username"></label>
                <label>Claims (JSON, for people made up by tests) <textarea id="claims" name="claims" rows="3"></textarea></label>
                <button type="submit" id="sign-in">Sign in</button>
                </form></details>
                </main></body></html>
                """.replace("{{people}}", buttons);
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static JsonObject mapping(String param, String match, JsonObject claims) {
        JsonObject mapping = new JsonObject();
        mapping.addProperty("requestParam", param);
        mapping.addProperty("match", match);
        mapping.add("claims", claims);
        return mapping;
    }

    private static JsonArray audience() {
        JsonArray audience = new JsonArray();
        audience.add(AUDIENCE);
        return audience;
    }

    private static JsonArray people() {
        try (InputStream in = OidcNode.class.getResourceAsStream("/oidc-people.json")) {
            if (in == null) {
                throw new IllegalStateException("oidc-people.json is missing from the launcher");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonArray("people");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read oidc-people.json", e);
        }
    }
}
