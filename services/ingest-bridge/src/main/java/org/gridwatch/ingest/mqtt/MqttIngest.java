package org.gridwatch.ingest.mqtt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.gridwatch.contract.TopicAdmin;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.TrustedCa;
import org.gridwatch.ingest.config.IngestConfig;
import org.gridwatch.ingest.domain.Outgoing;
import org.gridwatch.ingest.domain.Triage;
import org.gridwatch.ingest.kafka.KafkaForwarder;
import org.gridwatch.registryview.RegistryViewBean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The MQTT side of the bridge: a Paho MQTT 5 client with a persistent session and a shared
 * subscription at QoS 1. Acknowledgements are manual: a message is acknowledged (PUBACK) only after
 * Kafka has acknowledged every record made from it. If Kafka fails, the message stays
 * unacknowledged and the bridge reconnects, so the broker delivers it again.
 */
@ApplicationScoped
public class MqttIngest implements MqttCallback {

    private static final Logger LOG = Logger.getLogger(MqttIngest.class);

    @Inject
    IngestConfig config;

    @Inject
    RegistryViewBean registry;

    @Inject
    KafkaForwarder forwarder;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private Triage triage;
    private MqttAsyncClient client;
    private volatile boolean stopping;
    /** Whether a {@link #reconnectUntilConnected} loop runs. */
    private final AtomicBoolean reconnecting = new AtomicBoolean();

    /** CONNACK reason codes of a refused identity (MQTT 5, section 3.2.2.2). */
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;

    /** How long Paho's own reconnection has before the bridge asks for one itself. */
    private static final Duration PAHO_RECONNECT_GRACE = Duration.ofSeconds(15);

    void onStart(@Observes StartupEvent event) throws Exception {
        TopicAdmin.ensureTopics(bootstrapServers, List.of(Topics.READINGS, Topics.DEVICE_EVENTS,
                Topics.GATEWAY_STATUS, Topics.INGEST_DEAD_LETTER));
        if (!registry.awaitCaughtUp(config.registryTimeout())) {
            throw new IllegalStateException("The registry topic could not be read within " + config.registryTimeout());
        }
        triage = new Triage(registry.state(), Clock.systemUTC());
        client = new MqttAsyncClient(config.mqttUrl(), clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(this);
        connect();
    }

    private String clientId() {
        return config.clientId().orElseGet(() -> {
            try {
                return "gridwatch-ingest-" + InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "gridwatch-ingest";
            }
        });
    }

    private void connect() throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(config.sessionExpiry().toSeconds());
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 10);
        options.setReceiveMaximum(config.receiveMaximum());
        options.setKeepAliveInterval(30);
        options.setUserName(config.mqttUser());
        config.mqttPassword().ifPresent(password -> options.setPassword(password.getBytes(StandardCharsets.UTF_8)));
        config.mqttCaFile().ifPresent(ca -> {
            options.setSocketFactory(TrustedCa.socketFactory(ca));
            options.setHttpsHostnameVerificationEnabled(true);
        });
        try {
            client.connect(options).waitForCompletion(30_000);
        } catch (MqttException e) {
            if (e.getReasonCode() == BAD_USER_NAME_OR_PASSWORD || e.getReasonCode() == NOT_AUTHORIZED) {
                throw new IllegalStateException("The MQTT broker at " + config.mqttUrl() + " refused the bridge as user '"
                        + config.mqttUser() + "' (" + e.getMessage() + "). Set gridwatch.ingest.mqtt-password "
                        + "(GRIDWATCH_INGEST_MQTT_PASSWORD) to the bridge's secret: the local stack writes it to "
                        + "endpoints.properties in its data folder as mqtt.bridge.password.", e);
            }
            throw e;
        }
    }

    /**
     * Asks for the shared subscriptions without waiting for the broker's answer. This runs on
     * Paho's callback thread, which must stay free: a resumed session delivers its backlog at once,
     * and a callback waiting here for the SUBACK kept Paho from handing those messages over, so the
     * SUBACK never came (seen when the broker was killed mid-stream and came back). A refused or
     * lost subscription is asked for again 2 s later, for as long as the bridge is connected.
     */
    private void subscribe(String serverURI) {
        String prefix = "$share/" + config.sharedGroup() + "/gridwatch/v1/+/";
        String[] topics = {prefix + "telemetry", prefix + "events", prefix + "status"};
        try {
            client.subscribe(topics, new int[] {1, 1, 1}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    for (int code : codes == null ? new int[0] : codes) {
                        if (code >= 0x80) {
                            LOG.errorf("The broker on %s refused a subscription (reason 0x%02x), asking again in 2 s",
                                    serverURI, code);
                            subscribeLater(serverURI);
                            return;
                        }
                    }
                    LOG.infof("Subscribed to %s{telemetry,events,status} on %s as %s", prefix, serverURI,
                            client.getClientId());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.errorf("Could not subscribe on %s, asking again in 2 s: %s", serverURI, failure);
                    subscribeLater(serverURI);
                }
            });
        } catch (MqttException e) {
            LOG.errorf("Could not subscribe on %s, asking again in 2 s: %s", serverURI, e.getMessage());
            subscribeLater(serverURI);
        }
    }

    private void subscribeLater(String serverURI) {
        Thread again = new Thread(() -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!stopping && client.isConnected()) {
                subscribe(serverURI);
            }
        }, "mqtt-subscribe");
        again.setDaemon(true);
        again.start();
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // Subscribing again is harmless when the session kept the subscriptions, and needed when it did not.
        subscribe(serverURI);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        MqttProperties properties = message.getProperties();
        String contentType = properties == null ? null : properties.getContentType();
        List<Outgoing> records = triage.triage(topic, message.getPayload(), contentType, traceparent(properties));
        CompletableFuture<Void> written = forwarder.send(records);
        written.whenComplete((ignored, failure) -> {
            if (failure == null) {
                acknowledge(message);
            } else {
                LOG.errorf("Kafka did not take the records of an MQTT message on %s; it stays unacknowledged "
                        + "and will be delivered again: %s", topic, failure.getMessage());
                redeliverLater();
            }
        });
    }

    private static String traceparent(MqttProperties properties) {
        if (properties == null || properties.getUserProperties() == null) {
            return null;
        }
        for (UserProperty property : properties.getUserProperties()) {
            if (Triage.TRACEPARENT.equalsIgnoreCase(property.getKey())) {
                return property.getValue();
            }
        }
        return null;
    }

    private void acknowledge(MqttMessage message) {
        if (message.getQos() == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            // The connection dropped: the broker will redeliver, and Kafka dedup by event id absorbs it.
            LOG.warnf("Could not acknowledge MQTT message %d: %s", message.getId(), e.getMessage());
        }
    }

    /** Drops the connection so that the broker delivers the unacknowledged messages again on reconnect. */
    private synchronized void redeliverLater() {
        if (stopping || !client.isConnected()) {
            return;
        }
        try {
            client.disconnectForcibly(0, 1_000, false);
        } catch (MqttException e) {
            LOG.warnf("Forced disconnect failed: %s", e.getMessage());
        }
        // Paho does not reconnect by itself after a disconnect the client asked for.
        reconnectUntilConnected(Duration.ofSeconds(2));
    }

    public boolean isConnected() {
        return client != null && client.isConnected();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        if (!stopping) {
            LOG.warnf("Disconnected from the MQTT broker: %s", response.getReasonString());
            // Paho's automatic reconnection can stop for good: an attempt that throws at once
            // ("connect already in progress") schedules no next one. Give it a while, then ask ourselves.
            reconnectUntilConnected(PAHO_RECONNECT_GRACE);
        }
    }

    /** After {@code firstWait}, connects every 2 s until connected; one such loop at a time. */
    private void reconnectUntilConnected(Duration firstWait) {
        if (!reconnecting.compareAndSet(false, true)) {
            return;
        }
        Thread reconnect = new Thread(() -> {
            try {
                Thread.sleep(firstWait.toMillis());
                while (!stopping && !client.isConnected()) {
                    try {
                        connect();
                    } catch (MqttException e) {
                        LOG.warnf("Reconnecting to %s failed, retrying: %s", config.mqttUrl(), e.getMessage());
                    }
                    Thread.sleep(2_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                reconnecting.set(false);
            }
        }, "mqtt-reconnect");
        reconnect.setDaemon(true);
        reconnect.start();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warnf("MQTT error: %s", exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // The bridge does not publish.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication.
    }

    @PreDestroy
    void stop() {
        stopping = true;
        if (client == null) {
            return;
        }
        try {
            // A normal disconnect keeps the session: messages that arrive meanwhile wait for the next start.
            if (client.isConnected()) {
                client.disconnect(5_000).waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.warnf("MQTT client did not close cleanly: %s", e.getMessage());
        }
    }
}
