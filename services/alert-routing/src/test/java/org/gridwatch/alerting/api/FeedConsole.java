package org.gridwatch.alerting.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An operator's console connected to the live feed (server-sent events), as a browser's
 * EventSource would be: the events it has received, each checked to carry its position as its id.
 */
public final class FeedConsole implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final Stream<String> lines;

    /** Connects to {@code url}, resuming after {@code lastEventId} when given. */
    public FeedConsole(String url, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", TestApi.authorization());
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).as("feed %s", url).isEqualTo(200);
        lines = response.body();
        Thread reader = new Thread(() -> {
            String id = null;
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        JsonNode data = TestApi.JSON.readTree(line.substring(5).strip());
                        assertThat(data.get("position").asText()).isEqualTo(id);
                        events.add(data);
                    }
                }
            } catch (Exception | AssertionError e) {
                // Closed by the test: the console is gone.
            }
        }, "console");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next {@code count} events, failing if they do not come within 20 s each. */
    public List<JsonNode> take(int count) throws InterruptedException {
        List<JsonNode> taken = new ArrayList<>();
        while (taken.size() < count) {
            JsonNode event = events.poll(20, TimeUnit.SECONDS);
            assertThat(event).as("event %d of %d", taken.size() + 1, count).isNotNull();
            taken.add(event);
        }
        return taken;
    }

    /** Whether an event has come that has not been taken yet. */
    public boolean hasEvents() {
        return !events.isEmpty();
    }

    /** The next event within the timeout, or null. */
    public JsonNode poll(long timeout, TimeUnit unit) throws InterruptedException {
        return events.poll(timeout, unit);
    }

    /** The events received and not yet taken. */
    public List<JsonNode> drain() {
        List<JsonNode> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    @Override
    public void close() {
        lines.close();
    }
}
