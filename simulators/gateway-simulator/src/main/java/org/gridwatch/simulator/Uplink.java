package org.gridwatch.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

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
 */
public final class Uplink implements MqttCallback {

    /** A message to deliver, and whether it is on its way now. */
    private static final class Pending {
        final String topic;
        final MqttMessage message;
        boolean inFlight;

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
    private volatile Runnable onReconnect = () -> { };
    private long dropped;
    private long acknowledged;

    /** Sends through {@code client}, which must reconnect by itself ({@code automaticReconnect}). */
    public Uplink(MqttAsyncClient client, int window, int capacity) {
        this.client = client;
        this.window = window;
        this.capacity = capacity;
        client.setCallback(this);
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
                inFlight++;
            }
            Pending sending = next;
            try {
                client.publish(sending.topic, copy(sending.message), null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        delivered(sending);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        undelivered(sending);
                    }
                });
            } catch (MqttException e) {
                // Not connected after all: it goes again on reconnection.
                undelivered(sending);
                return;
            }
        }
    }

    private void delivered(Pending message) {
        synchronized (this) {
            if (message.inFlight) {
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

    private synchronized void undelivered(Pending message) {
        if (message.inFlight) {
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
        if (reconnect) {
            onReconnect.run();
        }
        send();
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
