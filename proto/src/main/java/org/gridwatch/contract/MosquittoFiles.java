package org.gridwatch.contract;

import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;

import org.gridwatch.contract.v1.MqttCredential;

/**
 * The gateways' credentials in the files a Mosquitto 2 broker reads, so that the same model holds
 * there as at the local stack's HiveMQ: a {@code password_file} of {@code $7$} entries (PBKDF2-
 * HMAC-SHA512, the iterations, salt and hash of {@link CredentialHash} as they are) and an
 * {@code acl_file} in which every user publishes only under {@code gridwatch/v1/%u/} and reads
 * only its own commands, and the ingest-bridge reads every gateway's topics. With
 * {@code use_username_as_clientid true} in the broker's configuration a gateway's client id is its
 * user name, whatever it sends.
 */
public final class MosquittoFiles {

    /** Mosquitto reads no other sizes in a {@code $7$} entry. */
    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;

    private MosquittoFiles() {
    }

    /**
     * One line per active credential, sorted by gateway; a revoked one is left out, and one
     * Mosquitto could not read (another salt size, say) is a comment saying to issue it again.
     */
    public static String passwordFile(Collection<MqttCredential> credentials) {
        StringBuilder file = new StringBuilder("# GridWatch gateways' MQTT credentials for Mosquitto (password_file), "
                + "from the registry; secrets are never in it\n");
        credentials.stream().filter(c -> !c.hasRevokedAt()).sorted(Comparator.comparing(MqttCredential::getPrincipal))
                .forEach(credential -> file.append(entry(credential)).append('\n'));
        return file.toString();
    }

    /** The password-file line of one credential (also for a service, such as the ingest-bridge). */
    public static String entry(MqttCredential credential) {
        String principal = credential.getPrincipal();
        if (!CredentialHash.ALGORITHM.equals(credential.getAlgorithm()) || credential.getSalt().size() != SALT_BYTES
                || credential.getHash().size() != HASH_BYTES || principal.contains(":")) {
            return "# " + principal.replace('\n', ' ') + ": these credentials cannot be read by Mosquitto ("
                    + credential.getAlgorithm() + ", salt of " + credential.getSalt().size()
                    + " bytes); issue them again";
        }
        Base64.Encoder base64 = Base64.getEncoder();
        return principal + ":$7$" + credential.getIterations() + "$"
                + base64.encodeToString(credential.getSalt().toByteArray()) + "$"
                + base64.encodeToString(credential.getHash().toByteArray());
    }

    /** The access rules: the bridge's user (read only) and the pattern every gateway is held to. */
    public static String aclFile(String bridgeUser) {
        return """
                # GridWatch MQTT access rules for Mosquitto (acl_file), from the registry.
                # The ingest-bridge reads every gateway's telemetry, events and status (its shared subscription).
                user %s
                topic read gridwatch/v1/+/telemetry
                topic read gridwatch/v1/+/events
                topic read gridwatch/v1/+/status

                # Every gateway (user name = its id) publishes under its own topics only and reads its own commands.
                pattern write gridwatch/v1/%%u/telemetry
                pattern write gridwatch/v1/%%u/events
                pattern write gridwatch/v1/%%u/status
                pattern read gridwatch/v1/%%u/cmd/#
                """.formatted(bridgeUser);
    }
}
