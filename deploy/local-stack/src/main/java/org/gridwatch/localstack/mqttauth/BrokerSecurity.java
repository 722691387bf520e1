package org.gridwatch.localstack.mqttauth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Logger;

import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.localstack.mqttauth.MqttPrincipals.Decision;
import org.gridwatch.localstack.mqttauth.MqttPrincipals.Permission;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.session.ClientService;

/**
 * The HiveMQ extension that makes the broker GridWatch's: every CONNECT is decided by
 * {@link MqttPrincipals} (no anonymous clients), the permissions it grants become the
 * connection's default permissions with everything else denied (a publish where a gateway may not
 * is answered with a PUBACK "not authorized" whose reason says where it may publish; HiveMQ then
 * closes the connection, as it does after every unauthorized publish), and a gateway whose credential
 * is revoked or replaced through the registry is disconnected at once.
 *
 * <p>Checking a secret costs a slow hash, so it runs on the extension's executor and the CONNECT
 * waits asynchronously; a gateway the broker does not know may have been provisioned a moment
 * ago, so the registry topic is read up to its end before it is refused.
 */
public final class BrokerSecurity implements ExtensionMain {

    private static final Logger LOG = Logger.getLogger(BrokerSecurity.class.getName());
    /** Longest a CONNECT waits for its answer: the registry read and a slow hash fit well within it. */
    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    private final String kafkaBootstrap;
    private final Function<String, Optional<MqttCredential>> fixedCredentials;
    private final List<MqttPrincipals.Service> services;
    private CredentialFeed feed;
    private volatile boolean guarding;

    /** The broker's security with the gateways' credentials read from the registry topic. */
    public BrokerSecurity(String kafkaBootstrap, List<MqttPrincipals.Service> services) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.fixedCredentials = null;
        this.services = services;
    }

    /**
     * The same security with the gateways' credentials given, not read from Kafka: for measuring
     * what the checks cost (the authentication benchmark), everything else exactly as in the broker.
     */
    public static BrokerSecurity withCredentials(Function<String, Optional<MqttCredential>> credentials,
                                                 List<MqttPrincipals.Service> services) {
        return new BrokerSecurity(credentials, services);
    }

    private BrokerSecurity(Function<String, Optional<MqttCredential>> credentials, List<MqttPrincipals.Service> services) {
        this.kafkaBootstrap = null;
        this.fixedCredentials = credentials;
        this.services = services;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        // The SDK's static services answer only on the extension's own threads: take what is needed now.
        ClientService clients = Services.clientService();
        Executor executor = Services.extensionExecutorService();
        MqttPrincipals principals = fixedCredentials != null ? new MqttPrincipals(fixedCredentials, services)
                : new MqttPrincipals(startFeed(clients)::credential, services);
        Services.securityRegistry().setAuthenticatorProvider(
                providerInput -> (SimpleAuthenticator) (authInput, authOutput) ->
                        authenticate(principals, executor, authInput, authOutput));
        Services.securityRegistry().setAuthorizerProvider(providerInput -> (PublishAuthorizer) (publishInput, publishOutput) -> {
            String clientId = publishInput.getClientInformation().getClientId();
            MqttPrincipals.publishRefusal(clientId, publishInput.getPublishPacket().getTopic()).ifPresentOrElse(
                    reason -> publishOutput.failAuthorization(AckReasonCode.NOT_AUTHORIZED, reason),
                    publishOutput::nextExtensionOrDefault);
        });
        guarding = true;
    }

    /** Follows the registry topic; a gateway whose credential is revoked or replaced is disconnected at once. */
    private CredentialFeed startFeed(ClientService clients) {
        feed = new CredentialFeed(kafkaBootstrap, principal -> clients.disconnectClient(principal, false,
                DisconnectReasonCode.NOT_AUTHORIZED, "The credentials of " + principal + " were revoked or replaced")
                .thenAccept(wasConnected -> {
                    if (wasConnected) {
                        LOG.info("Disconnected " + principal + ": its credentials were revoked or replaced");
                    }
                })).start();
        return feed;
    }

    /**
     * Whether every CONNECT now goes through this extension. HiveMQ carries on without an extension
     * that failed to start, and without an authenticator it lets everyone in: the node checks this
     * and stops rather than run open.
     */
    public boolean guarding() {
        return guarding;
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        if (feed != null) {
            feed.close();
        }
    }

    private void authenticate(MqttPrincipals principals, Executor executor, SimpleAuthInput input,
                              SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String userName = connect.getUserName().orElse(null);
        String password = connect.getPassword()
                .map(bytes -> StandardCharsets.UTF_8.decode(bytes.asReadOnlyBuffer()).toString()).orElse(null);
        String willTopic = connect.getWillPublish().map(WillPublishPacket::getTopic).orElse(null);
        String clientId = connect.getClientId();
        Async<SimpleAuthOutput> async = output.async(DECISION_TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE, "The broker could not check the credentials in time; try again");
        executor.execute(() -> {
            try {
                Decision decision = principals.connect(userName, clientId, password, willTopic);
                if (!decision.accepted() && catchUp()) {
                    decision = principals.connect(userName, clientId, password, willTopic);
                }
                answer(decision, output);
            } finally {
                async.resume();
            }
        });
    }

    /** Reads the registry topic to its end; false when that could not be done (Kafka away). */
    private boolean catchUp() {
        if (feed == null) {
            return false; // credentials given, nothing to read
        }
        try {
            feed.upToDate().get(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void answer(Decision decision, SimpleAuthOutput output) {
        if (decision.refusal().isPresent()) {
            output.failAuthentication(switch (decision.refusal().get()) {
                case BAD_USER_NAME_OR_PASSWORD -> ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD;
                case NOT_AUTHORIZED -> ConnackReasonCode.NOT_AUTHORIZED;
                case CLIENT_IDENTIFIER_NOT_VALID -> ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
            }, decision.reason());
            return;
        }
        var permissions = output.getDefaultPermissions();
        decision.permissions().forEach(permission -> permissions.add(topicPermission(permission)));
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    private static TopicPermission topicPermission(Permission permission) {
        var builder = Builders.topicPermission()
                .topicFilter(permission.topicFilter())
                .type(TopicPermission.PermissionType.ALLOW)
                .qos(TopicPermission.Qos.ALL)
                .activity(permission.publish() ? TopicPermission.MqttActivity.PUBLISH
                        : TopicPermission.MqttActivity.SUBSCRIBE);
        if (permission.sharedGroup() != null) {
            builder.sharedSubscription(TopicPermission.SharedSubscription.SHARED).sharedGroup(permission.sharedGroup());
        } else if (!permission.publish()) {
            builder.sharedSubscription(TopicPermission.SharedSubscription.NOT_SHARED);
        }
        return builder.build();
    }
}
