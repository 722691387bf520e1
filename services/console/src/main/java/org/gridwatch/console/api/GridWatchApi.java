package org.gridwatch.console.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.AccessTokenCredential;

/**
 * The services' public APIs, called with the signed-in person's own access token: the console
 * shows and does exactly what the APIs allow that person, and every action is recorded as theirs.
 */
@RequestScoped
public class GridWatchApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    ServiceUrls urls;

    @Inject
    AccessTokenCredential accessToken;

    @Inject
    ObjectMapper json;

    public JsonNode get(Service service, String path) {
        return send(service, request(service, path).GET());
    }

    /**
     * GET for a page that shows what it can read and names what it cannot: the answer, or null
     * with the service's refusal added to {@code problems}.
     */
    public JsonNode getOrNote(List<String> problems, Service service, String path) {
        try {
            return get(service, path);
        } catch (Refused e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    public JsonNode post(Service service, String path, Object body) {
        return send(service, request(service, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    public JsonNode delete(Service service, String path) {
        return send(service, request(service, path).DELETE());
    }

    /** A body sent as the person wrote it (a JSON editor's text). */
    public JsonNode putText(Service service, String path, String json) {
        return send(service, request(service, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public JsonNode postText(Service service, String path, String json) {
        return send(service, request(service, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public JsonNode put(Service service, String path, Object body) {
        return send(service, request(service, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    /** A file the service keeps (a task's photo): its bytes and media type. */
    public record Download(byte[] bytes, String mediaType) {
    }

    public Download download(Service service, String path) {
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request(service, path).header("Accept", "*/*").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Refused(503, name(service) + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "interrupted");
        }
        if (response.statusCode() >= 300) {
            throw new Refused(response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Download(response.body(), response.headers().firstValue("Content-Type").orElse("application/octet-stream"));
    }

    /** The person's token, for the live feed the console relays. */
    public String bearer() {
        return "Bearer " + accessToken.getToken();
    }

    public String url(Service service, String path) {
        return service.baseUrl(urls) + path;
    }

    private HttpRequest.Builder request(Service service, String path) {
        return HttpRequest.newBuilder(URI.create(url(service, path))).timeout(TIMEOUT)
                .header("Authorization", bearer()).header("Accept", "application/json");
    }

    private JsonNode send(Service service, HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Refused(503, name(service) + " cannot be reached; try again shortly");
        } catch (IOException e) {
            throw new Refused(503, name(service) + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "interrupted");
        }
        JsonNode body = read(response.body());
        if (response.statusCode() >= 300) {
            String detail = body.path("detail").asText(body.path("title").asText("HTTP " + response.statusCode()));
            throw new Refused(response.statusCode(), detail);
        }
        return body;
    }

    private static String name(Service service) {
        return service.name().toLowerCase().replace('_', '-');
    }

    private JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode().put("detail", body);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + body + " as JSON", e);
        }
    }
}
