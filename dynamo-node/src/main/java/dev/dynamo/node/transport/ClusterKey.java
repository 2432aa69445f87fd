package dev.dynamo.node.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster secret's peer key as an HMAC-SHA256 key, for the mutual challenge-response that opens
 * every connection. The key is derived from the secret (see {@code secret.ClusterSecret}), so any
 * secret, the empty one of a loopback-only node included, makes a full-length key; neither the secret
 * nor the key ever crosses the network. Each side proves it holds the key
 * by signing the other's fresh nonce, so a recorded handshake cannot be replayed, and the role label
 * ({@code client} or {@code server}) keeps one side's proof from being reflected back as the other's.
 * Over TLS the proofs also sign the {@link ChannelBinding}, so a proof relayed onto another TLS channel
 * does not verify there.
 */
final class ClusterKey {

    /** Bytes in a nonce. */
    static final int NONCE = 32;
    /** Bytes in a proof (an HMAC-SHA256). */
    static final int PROOF = 32;

    static final byte[] CLIENT = "client".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SERVER = "server".getBytes(StandardCharsets.US_ASCII);

    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** @param peerKey the key derived from the cluster secret for peer authentication */
    ClusterKey(byte[] peerKey) {
        key = new SecretKeySpec(peerKey, HMAC);
    }

    /** A fresh random challenge. */
    static byte[] nonce() {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /**
     * HMAC(key, role || nonce || binding): what the side named {@code role} answers to {@code nonce} on the
     * channel of {@code binding} ({@link ChannelBinding#CLEAR} on a clear one, which leaves HMAC(role || nonce)).
     */
    byte[] proof(byte[] role, byte[] nonce, byte[] binding) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(role);
            mac.update(nonce);
            return mac.doFinal(binding);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks HmacSHA256, which every Java platform must provide", e);
        }
    }

    /** Whether {@code proof} is the right answer of {@code role} to {@code nonce} on {@code binding}'s channel, compared in constant time. */
    boolean verify(byte[] role, byte[] nonce, byte[] binding, byte[] proof) {
        return MessageDigest.isEqual(proof(role, nonce, binding), proof);
    }
}
