package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.TrustedCa;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.testsupport.Endpoints;
import org.junit.jupiter.api.Test;


/**
 * What a third-party MQTT client meets at the broker: no connection without a gateway's
 * credentials (or the bridge's), a gateway's client id is its own id, it publishes only under
 * its own topics and subscribes only to its own commands, and a revoked or replaced secret stops
 * working at once, an open session included. Each refusal is the MQTT 5 reason code a client
 * library shows, with a reason string that says what to do.
 */
class BrokerSecurityTest extends SystemTest {

    /** Building gateways of the demo that no other test connects. */
    private static final String GATEWAY = "gw-b1";
    private static final String NEIGHBOUR = "gw-b2";
    private static final String OWN_DEVICE = "smoke-b1-hall";
    private static final String NEIGHBOURS_DEVICE = "smoke-b2-hall";

    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;

    @Test
    void noConnectionWithoutTheGatewaysOwnCredentials() throws Exception {
        String secret = system.gatewaySecret(GATEWAY);

        assertThat(refusal(GATEWAY, null, null, null)).isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal(GATEWAY, GATEWAY, "not-the-secret", null)).isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal("anyone", "gw-nowhere", secret, null)).isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        // The right secret, but presented as another gateway or under another client id.
        assertThat(refusal(NEIGHBOUR, NEIGHBOUR, secret, null)).isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal("sim-" + GATEWAY, GATEWAY, secret, null)).isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
        // A Last Will that would announce another gateway offline.
        assertThat(refusal(GATEWAY, GATEWAY, secret, "gridwatch/v1/" + NEIGHBOUR + "/status")).isEqualTo(NOT_AUTHORIZED);
        // The bridge's user name without its secret.
        assertThat(refusal("bridge-impostor", "ingest-bridge", "guess", null)).isEqualTo(BAD_USER_NAME_OR_PASSWORD);

        MqttAsyncClient accepted = connect(GATEWAY, GATEWAY, secret, "gridwatch/v1/" + GATEWAY + "/status");
        assertThat(accepted.isConnected()).isTrue();
        close(accepted);
    }

    @Test
    void aGatewayPublishesOnlyUnderItsOwnTopicsAndWhatItMayNotSendNeverReachesKafka() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String forged = "forged-" + run;
        String genuine = "genuine-" + run;
        try (TopicReader readings = new TopicReader(system.endpoints().kafkaBootstrap(), Topics.READINGS)) {
            MqttAsyncClient forger = connect(GATEWAY, GATEWAY, system.gatewaySecret(GATEWAY), null);
            MqttEvents forgerEvents = new MqttEvents();
            forger.setCallback(forgerEvents);
            // A reading of the neighbour's smoke detector, published on the neighbour's topic: the PUBACK
            // says no (and HiveMQ then closes the connection, as it does after any unauthorized publish).
            assertThat(publishReason(forger, "gridwatch/v1/" + NEIGHBOUR + "/telemetry", reading(forged, NEIGHBOURS_DEVICE)))
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(forgerEvents.disconnected.get(10, TimeUnit.SECONDS).getReturnCode()).isEqualTo(NOT_AUTHORIZED);
            forger.close(true);

            MqttAsyncClient client = connect(GATEWAY, GATEWAY, system.gatewaySecret(GATEWAY), null);
            try {
                assertThat(subscribeReason(client, "gridwatch/v1/" + NEIGHBOUR + "/cmd/#")).isEqualTo(NOT_AUTHORIZED);
                assertThat(subscribeReason(client, "gridwatch/v1/+/telemetry")).isEqualTo(NOT_AUTHORIZED);
                assertThat(subscribeReason(client, "$share/gridwatch-ingest/gridwatch/v1/+/telemetry")).isEqualTo(NOT_AUTHORIZED);
                assertThat(subscribeReason(client, "gridwatch/v1/" + GATEWAY + "/cmd/#")).isEqualTo(1);
                assertThat(publishReason(client, "gridwatch/v1/" + GATEWAY + "/telemetry", reading(genuine, OWN_DEVICE)))
                        .isZero();
            } finally {
                close(client);
            }

            Set<String> seen = new HashSet<>();
            await("the genuine reading on " + Topics.READINGS).atMost(Duration.ofSeconds(30)).until(() -> {
                readings.poll().forEach(record -> seen.add(eventId(record.value())));
                return seen.contains(genuine);
            });
            // Anything forwarded before or with the genuine one has arrived by now; give stragglers a moment more.
            Instant until = Instant.now().plusSeconds(2);
            while (Instant.now().isBefore(until)) {
                readings.poll().forEach(record -> seen.add(eventId(record.value())));
            }
            assertThat(seen).doesNotContain(forged);
        }
    }

    @Test
    void aReplacedOrRevokedSecretStopsWorkingAtOnceAndItsOpenSessionIsClosed() throws Exception {
        String first = system.issueGatewaySecret(NEIGHBOUR);
        MqttAsyncClient client = connect(NEIGHBOUR, NEIGHBOUR, first, null);
        MqttEvents events = new MqttEvents();
        client.setCallback(events);

        // Rotation: the new secret works the moment the registry answered, the old one no longer does.
        String second = system.issueGatewaySecret(NEIGHBOUR);
        MqttDisconnectResponse rotatedOut = events.disconnected.get(10, TimeUnit.SECONDS);
        assertThat(rotatedOut.getReturnCode()).isEqualTo(NOT_AUTHORIZED);
        assertThat(rotatedOut.getReasonString()).contains("revoked or replaced");
        client.close(true);
        assertThat(refusal(NEIGHBOUR, NEIGHBOUR, first, null)).isEqualTo(BAD_USER_NAME_OR_PASSWORD);

        client = connect(NEIGHBOUR, NEIGHBOUR, second, null);
        MqttEvents revokedEvents = new MqttEvents();
        client.setCallback(revokedEvents);
        assertThat(system.delete("registry", "/api/v1/gateways/" + NEIGHBOUR + "/credentials").statusCode()).isEqualTo(200);
        assertThat(revokedEvents.disconnected.get(10, TimeUnit.SECONDS).getReturnCode()).isEqualTo(NOT_AUTHORIZED);
        client.close(true);
        assertThat(refusal(NEIGHBOUR, NEIGHBOUR, second, null)).isEqualTo(NOT_AUTHORIZED);
    }

    @Test
    void overTlsAGatewayThatTrustsTheInstallationsCaConnectsAndOneThatDoesNotIsTurnedAway() throws Exception {
        Endpoints.MqttTls tls = system.endpoints().mqttTls();
        assumeTrue(tls != null, "this broker has no TLS listener (only the local stack's has one)");
        String secret = system.gatewaySecret(GATEWAY);

        MqttConnectionOptions trusting = options(GATEWAY, secret, null);
        trusting.setSocketFactory(TrustedCa.socketFactory(tls.caFile()));
        trusting.setHttpsHostnameVerificationEnabled(true);
        MqttAsyncClient client = new MqttAsyncClient(tls.url(), GATEWAY, new MemoryPersistence());
        client.connect(trusting).waitForCompletion(30_000);
        assertThat(publishReason(client, "gridwatch/v1/" + GATEWAY + "/telemetry", reading("tls-" + UUID.randomUUID(), OWN_DEVICE)))
                .isZero();
        close(client);

        // The JVM's public authorities do not know this installation's CA: no connection, credentials or not.
        MqttAsyncClient stranger = new MqttAsyncClient(tls.url(), GATEWAY, new MemoryPersistence());
        assertThatThrownBy(() -> stranger.connect(options(GATEWAY, secret, null)).waitForCompletion(30_000))
                .isInstanceOf(MqttException.class)
                .hasRootCauseInstanceOf(CertPathBuilderException.class);
        stranger.close(true);
    }

    private static MqttConnectionOptions options(String userName, String password, String willTopic) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        if (userName != null) {
            options.setUserName(userName);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (willTopic != null) {
            options.setWill(willTopic, new MqttMessage("{\"online\":false}".getBytes(StandardCharsets.UTF_8), 1, false, null));
        }
        return options;
    }

    private static MqttAsyncClient connect(String clientId, String userName, String password, String willTopic)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(system.endpoints().mqttUrl(), clientId, new MemoryPersistence());
        MqttConnectionOptions options = options(userName, password, willTopic);
        try {
            client.connect(options).waitForCompletion(30_000);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    /** The CONNACK reason code of a refused connection; fails if it was accepted. */
    private static int refusal(String clientId, String userName, String password, String willTopic) throws MqttException {
        try {
            MqttAsyncClient client = connect(clientId, userName, password, willTopic);
            close(client);
            throw new AssertionError(clientId + " / " + userName + " was let in");
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static int publishReason(MqttAsyncClient client, String topic, String json) throws MqttException {
        MqttProperties properties = new MqttProperties();
        properties.setContentType("application/json");
        try {
            IMqttToken token = client.publish(topic, new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, properties));
            token.waitForCompletion(10_000);
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static int subscribeReason(MqttAsyncClient client, String filter) throws MqttException {
        try {
            IMqttToken token = client.subscribe(filter, 1);
            token.waitForCompletion(10_000);
            return token.getReasonCodes()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static String reading(String eventId, String deviceId) {
        return """
                {"eventId":"%s","deviceId":"%s","observedAt":"%s","values":{"smoke":0,"battery":90}}
                """.formatted(eventId, deviceId, Instant.now());
    }

    private static String eventId(byte[] value) {
        try {
            return Reading.parseFrom(value).getEventId();
        } catch (Exception e) {
            return "";
        }
    }

    private static void close(MqttAsyncClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(10_000);
        }
        client.close(true);
    }
}
