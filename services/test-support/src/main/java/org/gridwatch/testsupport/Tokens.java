package org.gridwatch.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bearer tokens of the tests' OpenID Connect provider ({@link Infrastructure}), as a person or a
 * service gets them: a person of the demo community by user name, a person a test makes up
 * ({@code test-...}, with the roles and area it chooses), or a service by its client id. Each is
 * fetched once and kept until shortly before it expires.
 */
public final class Tokens {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration KEEP = Duration.ofMinutes(50);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, Kept> KEPT = new ConcurrentHashMap<>();

    private record Kept(String token, Instant until) {
    }

    private Tokens() {
    }

    /** A person of the demo community ({@code op-lf-c1}, {@code w1}, {@code admin}...). */
    public static String person(String user) {
        return token("grant_type=password&client_id=gridwatch-tests&password=-&username=" + encode(user));
    }

    /** A person a test makes up: {@code user} starts with {@code test-}; {@code roles} space-separated. */
    public static String testPerson(String user, String roles, String area) {
        if (!user.startsWith("test-")) {
            throw new IllegalArgumentException("Made-up people are named test-...: " + user);
        }
        return token("grant_type=password&client_id=gridwatch-tests&password=-&username=" + encode(user)
                + "&roles=" + encode(roles) + "&area=" + encode(area == null ? "" : area));
    }

    /** A GridWatch service (the machine role), by its client id. */
    public static String service(String clientId) {
        return token("grant_type=client_credentials&client_secret=-&client_id=" + encode(clientId));
    }

    /** {@code Authorization} header value. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String token(String form) {
        Kept kept = KEPT.get(form);
        if (kept != null && Instant.now().isBefore(kept.until())) {
            return kept.token();
        }
        String issuer = Infrastructure.get().oidcIssuer();
        if (issuer == null) {
            throw new IllegalStateException("This test infrastructure has no OIDC provider (set GRIDWATCH_OIDC_ISSUER)");
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher token = ACCESS_TOKEN.matcher(response.body());
            if (response.statusCode() != 200 || !token.find()) {
                throw new IllegalStateException("The OIDC provider gave no token (" + response.statusCode() + "): "
                        + response.body());
            }
            KEPT.put(form, new Kept(token.group(1), Instant.now().plus(KEEP)));
            return token.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("The OIDC provider at " + issuer + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
