package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.gridwatch.contract.CredentialHash;
import org.gridwatch.contract.MosquittoFiles;
import org.gridwatch.testsupport.LocalStackProcess;
import org.gridwatch.testsupport.RepoRoot;
import org.junit.jupiter.api.Test;

/**
 * The same credentials at a real Mosquitto 2 broker (Debian's {@code mosquitto}; {@code .ci/run}
 * installs it, and the test says it was skipped where it is missing): the registry's password and
 * ACL files let a gateway in with its secret and publish under its own topics only (Mosquitto
 * answers elsewhere with PUBACK "not authorized" and keeps the connection), read no one's readings,
 * keep out anyone else, let the ingest-bridge read the gateways' topics through its shared
 * subscription, and a revocation closes the gateway's session at the next reload.
 */
class MosquittoTest extends SystemTest {

    private static final String GATEWAY = "gw-b1";
    /** Revoked here; BrokerSecurityTest issues it afresh before each use. */
    private static final String REVOKED = "gw-b2";
    private static final String BRIDGE_SECRET = "a-bridge-secret-for-this-test-only";

    @Test
    void theRegistrysPasswordAndAclFilesHoldAtAMosquittoBroker() throws Exception {
        Path binary = Stream.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")
                .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(binary != null, "Mosquitto is not installed (apt-get install mosquitto; .ci/run does): skipped");
        String secret = system.gatewaySecret(GATEWAY);
        String toBeRevoked = system.issueGatewaySecret(REVOKED);

        Path dir = Files.createTempDirectory(Files.createDirectories(RepoRoot.get().resolve("services/system-tests/target")),
                "mosquitto-");
        writeFilesFromTheRegistry(dir);
        assertThat(Files.readString(dir.resolve("passwd"))).contains(GATEWAY + ":$7$").contains(REVOKED + ":$7$")
                .doesNotContain(secret);
        int port = LocalStackProcess.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %d 127.0.0.1
                allow_anonymous false
                password_file %s
                acl_file %s
                use_username_as_clientid true
                persistence false
                log_dest stdout
                %s
                """.formatted(port, dir.resolve("passwd"), dir.resolve("acl"),
                "root".equals(System.getProperty("user.name")) ? "user root" : ""));
        Process broker = new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        try {
            awaitPort(port, broker, dir.resolve("mosquitto.log"));
            String url = "tcp://127.0.0.1:" + port;

            MqttAsyncClient bridge = connect(url, "ingest-bridge", BRIDGE_SECRET);
            // The client's callback, not a per-subscription listener: Paho does not route $share messages to those.
            MqttEvents bridgeEvents = new MqttEvents();
            bridge.setCallback(bridgeEvents);
            IMqttToken subscribed = bridge.subscribe(new MqttSubscription[] {
                    new MqttSubscription("$share/gridwatch-ingest/gridwatch/v1/+/telemetry", 1)});
            subscribed.waitForCompletion(10_000);
            assertThat(subscribed.getReasonCodes()[0]).isEqualTo(1);

            MqttAsyncClient gateway = connect(url, GATEWAY, secret);
            // Mosquitto grants any SUBSCRIBE and filters at delivery by the ACL: a gateway listening to every
            // gateway's readings is sent none of them, not even its own.
            MqttEvents gatewayEvents = new MqttEvents();
            gateway.setCallback(gatewayEvents);
            gateway.subscribe("gridwatch/v1/+/telemetry", 1).waitForCompletion(10_000);
            assertThat(publish(gateway, "gridwatch/v1/gw-b2/telemetry")).as("a neighbour's topic").isEqualTo(0x87);
            assertThat(publish(gateway, "gridwatch/v1/" + GATEWAY + "/telemetry")).isLessThan(0x80);
            assertThat(bridgeEvents.firstMessageTopic.get(10, TimeUnit.SECONDS)).isEqualTo("gridwatch/v1/" + GATEWAY + "/telemetry");
            Thread.sleep(1_000);
            assertThat(gatewayEvents.firstMessageTopic).as("readings delivered to a gateway").isNotDone();

            assertThatThrownBy(() -> connect(url, GATEWAY, "not-the-secret")).isInstanceOf(MqttException.class)
                    .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isIn(0x86, 0x87));
            assertThatThrownBy(() -> connect(url, null, null)).isInstanceOf(MqttException.class);

            // A revocation reaches Mosquitto with the next files: reloaded (SIGHUP), it closes the open session.
            MqttAsyncClient revoked = connect(url, REVOKED, toBeRevoked);
            MqttEvents revokedEvents = new MqttEvents();
            revoked.setCallback(revokedEvents);
            assertThat(system.delete("registry", "/api/v1/gateways/" + REVOKED + "/credentials").statusCode()).isEqualTo(200);
            await("the revocation in the registry's password file").atMost(Duration.ofSeconds(10)).until(() ->
                    !system.getResponse("registry", "/api/v1/mqtt/mosquitto/password-file").body().contains(REVOKED + ":"));
            writeFilesFromTheRegistry(dir);
            assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(broker.pid())).start().waitFor()).isZero();
            revokedEvents.disconnected.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> connect(url, REVOKED, toBeRevoked)).isInstanceOf(MqttException.class);
            assertThat(gateway.isConnected()).as("a gateway still in the file stays connected").isTrue();

            gateway.disconnect().waitForCompletion(5_000);
            bridge.disconnect().waitForCompletion(5_000);
        } finally {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What mosquitto-sync.sh does: the registry's password file with the bridge's entry, and its ACL. */
    private static void writeFilesFromTheRegistry(Path dir) throws IOException {
        String passwords = system.getResponse("registry", "/api/v1/mqtt/mosquitto/password-file").body()
                + MosquittoFiles.entry(CredentialHash.credential("ingest-bridge", BRIDGE_SECRET, Instant.now())) + "\n";
        Files.writeString(dir.resolve("passwd"), passwords);
        Files.writeString(dir.resolve("acl"), system.getResponse("registry", "/api/v1/mqtt/mosquitto/acl-file").body());
    }

    private static MqttAsyncClient connect(String url, String user, String password) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, user == null ? "anonymous" : user, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        try {
            client.connect(options).waitForCompletion(10_000);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    private static int publish(MqttAsyncClient client, String topic) throws MqttException {
        IMqttToken token = client.publish(topic, new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, null));
        token.waitForCompletion(10_000);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    private static void awaitPort(int port, Process broker, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (!broker.isAlive()) {
                throw new AssertionError("Mosquitto exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("Mosquitto did not listen on " + port + ": " + Files.readString(log));
    }
}
