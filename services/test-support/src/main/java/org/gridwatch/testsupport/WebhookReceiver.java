package org.gridwatch.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for tests, as a paging system would run one: it records every request it
 * gets (a repeat too), answers with the status the test scripts (200 unless told otherwise), and
 * can hold requests unanswered for a while, as a receiver that hangs would.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received, with the time it arrived (nanoTime). */
    public record Request(String notificationId, String timestamp, String signature, String body, long receivedNanos) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private volatile IntSupplier status = () -> 200;
    private volatile Duration hold = Duration.ZERO;
    private final AtomicInteger toHold = new AtomicInteger();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/gridwatch";
    }

    /** The status of each answer from now on (asked once per request). */
    public void answer(IntSupplier status) {
        this.status = status;
    }

    /** Holds the next {@code count} requests this long (a receiver that hangs while the sender dies, say), then answers as usual. */
    public void holdNext(int count, Duration hold) {
        this.hold = hold;
        toHold.set(count);
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The distinct notification ids received, in order of first arrival: what a receiver that drops repeats keeps. */
    public synchronized Set<String> distinctIds() {
        Set<String> ids = new LinkedHashSet<>();
        requests.forEach(r -> ids.add(r.notificationId()));
        return ids;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        synchronized (this) {
            requests.add(new Request(exchange.getRequestHeaders().getFirst("X-GridWatch-Notification-Id"),
                    exchange.getRequestHeaders().getFirst("X-GridWatch-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-GridWatch-Signature"), body, System.nanoTime()));
        }
        try {
            if (!hold.isZero() && toHold.getAndDecrement() > 0) {
                Thread.sleep(hold.toMillis());
            }
            exchange.sendResponseHeaders(status.getAsInt(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The sender went away while we held it: as a real receiver, nothing to answer.
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
