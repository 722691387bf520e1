package org.gridwatch.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * How a gateway gets its messages to the broker at least once, as a real gateway must: a QoS 1
 * message counts as delivered only when the broker has acknowledged it; one it has not (the
 * connection dropped, the broker was killed and restarted) stays in the gateway's buffer and goes
 * again, in order, once the client has reconnected, as a gateway uploads what it buffered while
 * offline. At most {@code window} messages are in flight (the broker's Receive Maximum bounds
 * them too); the buffer holds at most {@code capacity}, past which the oldest is dropped and
 * counted, as a gateway whose flash is full would. A message that goes twice (acknowledged, but
 * the acknowledgement lost with the connection) is absorbed downstream by its event ids.
 *
 * <p>Two things could otherwise leave messages waiting for ever. Paho fails the tokens of a lost
 * connection from its callback thread, sometimes after the client has reconnected and the
 * message has gone again: each sending is therefore tied to the connection it went on, and news
 * of an older connection's sending is ignored. And a refused send (the client not quite
 * connected after all) waits for nothing to call it again: every second, what is waiting goes
 * again if the window and the connection allow. Paho's automatic reconnection can also stop for
 * good (an attempt that throws at once, "connect already in progress", schedules no next one):
 * a connection lost for longer than {@link #RECONNECT_AFTER} is asked to reconnect at each tick.
 */
public final class Uplink implements MqttCallback {

    /** A message to deliver, and whether it is on its way now. */
    private static final class Pending {
        final String topic;
        final MqttMessage message;
        boolean inFlight;
        /** The connection the message last went on. */
        long connection;

        Pending(String topic, MqttMessage message) {
            this.topic = topic;
            this.message = message;
        }
    }

    private final MqttAsyncClient client;
    private final int window;
    private final int capacity;
    /** Everything not yet acknowledged, oldest first. */
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** What of it is not on its way now, oldest first. */
    private final Deque<Pending> unsent = new ArrayDeque<>();
    private int inFlight;
    /** Counts the connections lost: a sending made before the last loss is no longer in flight. */
    private long connection;
    private volatile Exception lastRefusal;
    private final ScheduledFuture<?> retry;
    /** When the connection was lost ({@link System#nanoTime}), or 0 while connected or not yet connected. */
    private long lostAt;

    /** How long Paho's own reconnection has before the uplink asks for one itself. */
    static final Duration RECONNECT_AFTER = Duration.ofSeconds(5);
    private volatile Runnable onReconnect = () -> { };
    private long dropped;
    private long acknowledged;

    /** Sends through {@code client}, which must reconnect by itself ({@code automaticReconnect}). */
    public Uplink(MqttAsyncClient client, int window, int capacity) {
        this.client = client;
        this.window = window;
        this.capacity = capacity;
        client.setCallback(this);
        this.retry = RETRY.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** One thread for the retries of every uplink of the process: a simulator runs thousands. */
    private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "uplink-retry");
        thread.setDaemon(true);
        return thread;
    });

    private void tick() {
        boolean reconnect;
        synchronized (this) {
            reconnect = lostAt != 0 && System.nanoTime() - lostAt > RECONNECT_AFTER.toNanos();
        }
        if (reconnect && !client.isConnected()) {
            try {
                client.reconnect();
            } catch (MqttException e) {
                // Connecting already, or the broker still away: the next tick asks again.
            }
        }
        send();
    }

    /** Stops retrying; what is not yet acknowledged stays unsent. */
    public void close() {
        retry.cancel(false);
    }

    /** Runs {@code action} each time the client has reconnected, before the buffer goes again (a gateway says it is online). */
    public void onReconnect(Runnable action) {
        this.onReconnect = action;
    }

    /** Queues the message and sends it as soon as the window and the connection allow. */
    public void publish(String topic, MqttMessage message) {
        synchronized (this) {
            if (pending.size() >= capacity && !unsent.isEmpty()) {
                pending.remove(unsent.removeFirst());
                dropped++;
            }
            Pending queued = new Pending(topic, message);
            pending.addLast(queued);
            unsent.addLast(queued);
        }
        send();
    }

    /** Waits until the broker has acknowledged everything queued so far; false if it did not within {@code timeout}. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!pending.isEmpty()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Where the uplink stands, for a message that says why messages still wait. */
    public synchronized String state() {
        return (client.isConnected() ? "connected" : "not connected") + ", " + inFlight + " in flight, " + unsent.size()
                + " unsent, last refusal: " + (lastRefusal == null ? "none" : lastRefusal.toString());
    }

    /** Messages waiting for the broker's acknowledgement, in flight or not. */
    public synchronized int backlog() {
        return pending.size();
    }

    /** Messages dropped because the buffer was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Messages the broker has acknowledged. */
    public synchronized long acknowledged() {
        return acknowledged;
    }

    /** Sends what the window allows, oldest first, while connected. */
    private void send() {
        while (true) {
            Pending next;
            synchronized (this) {
                if (!client.isConnected() || inFlight >= window) {
                    return;
                }
                next = unsent.pollFirst();
                if (next == null) {
                    return;
                }
                next.inFlight = true;
                next.connection = connection;
                inFlight++;
            }
            Pending sending = next;
            long on = sending.connection;
            try {
                client.publish(sending.topic, copy(sending.message), null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        delivered(sending, on);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        undelivered(sending, on, failure);
                    }
                });
            } catch (MqttException e) {
                // Not connected after all: it goes again on reconnection, or at the next retry.
                undelivered(sending, on, e);
                return;
            }
        }
    }

    private void delivered(Pending message, long on) {
        synchronized (this) {
            if (message.inFlight && message.connection == on) {
                message.inFlight = false;
                inFlight--;
            }
            if (pending.remove(message)) {
                acknowledged++;
            }
            notifyAll();
        }
        send();
    }

    private synchronized void undelivered(Pending message, long on, Throwable failure) {
        lastRefusal = failure instanceof Exception e ? e : new Exception(failure);
        if (message.inFlight && message.connection == on) {
            message.inFlight = false;
            inFlight--;
            requeue();
        }
    }

    /** Everything not in flight goes again in its original order, before anything newer. */
    private void requeue() {
        unsent.clear();
        pending.stream().filter(p -> !p.inFlight).forEach(unsent::addLast);
    }

    /** A fresh message of the same content: Paho keeps state on a message object it has sent. */
    private static MqttMessage copy(MqttMessage message) {
        MqttProperties properties = message.getProperties() == null ? new MqttProperties() : message.getProperties();
        return new MqttMessage(message.getPayload(), message.getQos(), message.isRetained(), properties);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // What was in flight may never be acknowledged now: it goes again once reconnected.
        synchronized (this) {
            connection++;
            lostAt = System.nanoTime();
            pending.forEach(p -> p.inFlight = false);
            inFlight = 0;
            requeue();
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        synchronized (this) {
            lostAt = 0;
        }
        if (reconnect) {
            onReconnect.run();
        }
        send();
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
