package org.gridwatch.contract;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.gridwatch.contract.v1.MqttCredential;

import com.google.protobuf.ByteString;

/**
 * How an MQTT secret is made and kept: 32 random bytes, shown once as URL-safe base64, kept as
 * PBKDF2-HMAC-SHA512 over a 12-byte random salt, 64 bytes. The registry issues; the broker
 * verifies. A leaked registry topic gives no secret away. These are the sizes of Mosquitto's
 * {@code $7$} password-file entries, which accept no other salt length, so that the same
 * credentials serve a Mosquitto broker.
 *
 * <p>Why 10,000 iterations and not OWASP's 210,000: that figure protects passwords people choose.
 * These secrets are 256 random bits, which no number of guesses finds; the work factor only
 * costs the broker. 210,000 iterations took 175 ms of a core here, so a broker restart with
 * 4,000 gateways reconnecting would have spent 12 CPU-minutes before the first reading; 10,000
 * take about 9 ms (ten times NIST SP 800-132's minimum). The count is kept with each credential,
 * so it can change without invalidating any; a broker caches what it verified, so reconnections
 * cost a digest.
 */
public final class CredentialHash {

    public static final String ALGORITHM = "PBKDF2WithHmacSHA512";
    public static final int ITERATIONS = 10_000;
    private static final int SALT_BYTES = 12;
    private static final int HASH_BITS = 512;
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CredentialHash() {
    }

    /** A new secret and its credential; the secret is to be shown once and then forgotten. */
    public record Issued(String secret, MqttCredential credential) {
    }

    public static Issued issue(String principal, Instant now) {
        byte[] secretBytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        return new Issued(secret, credential(principal, secret, now));
    }

    /** The credential of a secret chosen elsewhere (a service's, from its configuration). */
    public static MqttCredential credential(String principal, String secret, Instant now) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return MqttCredential.newBuilder()
                .setPrincipal(principal)
                .setAlgorithm(ALGORITHM)
                .setIterations(ITERATIONS)
                .setSalt(ByteString.copyFrom(salt))
                .setHash(ByteString.copyFrom(pbkdf2(secret, salt, ITERATIONS)))
                .setIssuedAt(Timestamps.of(now))
                .build();
    }

    /** Whether {@code secret} is the one of this credential; a revoked or unknown-algorithm credential matches nothing. */
    public static boolean matches(MqttCredential credential, String secret) {
        if (credential.hasRevokedAt() || !ALGORITHM.equals(credential.getAlgorithm()) || secret == null
                || credential.getIterations() <= 0 || credential.getHash().isEmpty()) {
            return false;
        }
        byte[] computed = pbkdf2(secret, credential.getSalt().toByteArray(), credential.getIterations());
        return MessageDigest.isEqual(computed, credential.getHash().toByteArray());
    }

    private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }
}
