package org.gridwatch.localstack.mqttauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.gridwatch.contract.CredentialHash;
import org.gridwatch.contract.v1.MqttCredential;

import com.google.protobuf.ByteString;

/**
 * Who may connect to the broker and what they may do there, decided without the broker (so that
 * a unit test drives it): a gateway proves itself with the credentials the registry issued (its
 * id as user name and client id), a service of GridWatch with the secret its configuration
 * gives. Deny by default: anything not named here is refused.
 *
 * <p>A gateway publishes only its own telemetry, events and status (its Last Will included) and
 * subscribes only to its own commands. The ingest-bridge subscribes only to the shared group's
 * subscriptions of every gateway's telemetry, events and status, and publishes nothing.
 *
 * <p>The slow hash of a credential costs a tenth of a second of CPU: a secret verified once is
 * remembered as its SHA-256 against the credential it matched, so a reconnection costs a digest,
 * and a rotated or revoked credential no longer matches the memory.
 *
 * <p>The broker asks it through {@link BrokerSecurity}, its embedded HiveMQ extension.
 */
public final class MqttPrincipals {

    /** How a connection was refused: the CONNACK reason and the reason string the client is told. */
    public enum Refusal {
        BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED, CLIENT_IDENTIFIER_NOT_VALID
    }

    /** What one may do once connected. */
    public record Permission(String topicFilter, boolean publish, String sharedGroup) {
    }

    /** The answer to a connection: permissions when accepted, a refusal and its reason otherwise. */
    public record Decision(Optional<Refusal> refusal, String reason, List<Permission> permissions) {
        static Decision refuse(Refusal refusal, String reason) {
            return new Decision(Optional.of(refusal), reason, List.of());
        }

        static Decision accept(List<Permission> permissions) {
            return new Decision(Optional.empty(), "", permissions);
        }

        public boolean accepted() {
            return refusal.isEmpty();
        }
    }

    /** A service of GridWatch that connects with a configured secret. */
    public record Service(String userName, String secret, String sharedGroup) {
    }

    private final Function<String, Optional<MqttCredential>> gatewayCredentials;
    private final Map<String, Service> services;
    /** user name -> SHA-256 of the service's secret, computed once. */
    private final Map<String, ByteString> serviceDigests;
    /** principal -> what was last verified for it. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(ByteString credentialHash, ByteString secretDigest) {
    }

    public MqttPrincipals(Function<String, Optional<MqttCredential>> gatewayCredentials, List<Service> services) {
        this.gatewayCredentials = gatewayCredentials;
        this.services = services.stream().collect(Collectors.toUnmodifiableMap(Service::userName, s -> s));
        this.serviceDigests = services.stream().collect(Collectors.toUnmodifiableMap(Service::userName,
                s -> digest(s.secret())));
    }

    /** Decides a CONNECT: its user name, client id, password and Will topic (null when it has none). */
    public Decision connect(String userName, String clientId, String password, String willTopic) {
        if (userName == null || userName.isEmpty() || password == null) {
            return Decision.refuse(Refusal.BAD_USER_NAME_OR_PASSWORD,
                    "A user name and a password are required: a gateway's id and the secret the registry issued for it");
        }
        Service service = services.get(userName);
        if (service != null) {
            if (!MessageDigest.isEqual(digest(password).toByteArray(), serviceDigests.get(userName).toByteArray())) {
                return Decision.refuse(Refusal.BAD_USER_NAME_OR_PASSWORD, "Wrong password for " + userName);
            }
            if (willTopic != null) {
                return Decision.refuse(Refusal.NOT_AUTHORIZED, userName + " may not set a Last Will");
            }
            return Decision.accept(servicePermissions(service));
        }
        if (!isTopicSafe(userName)) {
            return Decision.refuse(Refusal.BAD_USER_NAME_OR_PASSWORD,
                    userName + " is not a gateway id: gateway ids have no '/', '+', '#' or '$'");
        }
        Optional<MqttCredential> credential = gatewayCredentials.apply(userName);
        if (credential.isEmpty()) {
            return Decision.refuse(Refusal.BAD_USER_NAME_OR_PASSWORD, "No credentials for " + userName
                    + "; issue them with POST /api/v1/gateways/" + userName + "/credentials on the registry");
        }
        if (credential.get().hasRevokedAt()) {
            return Decision.refuse(Refusal.NOT_AUTHORIZED, "The credentials of " + userName + " were revoked");
        }
        if (!matches(credential.get(), password)) {
            return Decision.refuse(Refusal.BAD_USER_NAME_OR_PASSWORD, "Wrong password for " + userName);
        }
        if (!userName.equals(clientId)) {
            return Decision.refuse(Refusal.CLIENT_IDENTIFIER_NOT_VALID,
                    "The client id must be the gateway's id, " + userName + ", not " + clientId);
        }
        if (willTopic != null && !willTopic.equals(statusTopic(userName))) {
            return Decision.refuse(Refusal.NOT_AUTHORIZED,
                    "A gateway's Last Will goes on its own status topic, " + statusTopic(userName) + ", not " + willTopic);
        }
        return Decision.accept(gatewayPermissions(userName));
    }

    private boolean matches(MqttCredential credential, String password) {
        ByteString secretDigest = digest(password);
        Verified known = verified.get(credential.getPrincipal());
        if (known != null && known.credentialHash().equals(credential.getHash())) {
            return MessageDigest.isEqual(known.secretDigest().toByteArray(), secretDigest.toByteArray());
        }
        if (!CredentialHash.matches(credential, password)) {
            return false;
        }
        verified.put(credential.getPrincipal(), new Verified(credential.getHash(), secretDigest));
        return true;
    }

    /**
     * Why a client may not publish on {@code topic}, or empty when it may as far as a gateway's
     * rights go (the connection's permissions still apply: this only words the refusal, which an
     * MQTT 5 gateway reads in its PUBACK's reason string).
     */
    public static Optional<String> publishRefusal(String clientId, String topic) {
        boolean own = gatewayPermissions(clientId).stream()
                .anyMatch(permission -> permission.publish() && permission.topicFilter().equals(topic));
        return own ? Optional.empty() : Optional.of(clientId + " may publish only on gridwatch/v1/" + clientId
                + "/telemetry, /events and /status, not on " + topic);
    }

    static String statusTopic(String gatewayId) {
        return "gridwatch/v1/" + gatewayId + "/status";
    }

    private static List<Permission> gatewayPermissions(String gatewayId) {
        String own = "gridwatch/v1/" + gatewayId + "/";
        return List.of(new Permission(own + "telemetry", true, null), new Permission(own + "events", true, null),
                new Permission(own + "status", true, null), new Permission(own + "cmd/#", false, null));
    }

    private static List<Permission> servicePermissions(Service service) {
        return List.of(new Permission("gridwatch/v1/+/telemetry", false, service.sharedGroup()),
                new Permission("gridwatch/v1/+/events", false, service.sharedGroup()),
                new Permission("gridwatch/v1/+/status", false, service.sharedGroup()));
    }

    private static boolean isTopicSafe(String id) {
        return id.chars().noneMatch(c -> c == '/' || c == '+' || c == '#' || c == '$' || c == 0);
    }

    private static ByteString digest(String secret) {
        try {
            return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
