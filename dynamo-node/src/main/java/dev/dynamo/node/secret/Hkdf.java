package dev.dynamo.node.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869), for one 32-byte key per use of the cluster secret. */
final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    /** Fixed, so every node derives the same keys from the same secret. */
    private static final byte[] SALT = "dynamo cluster secret".getBytes(StandardCharsets.US_ASCII);

    private Hkdf() {
    }

    /** The first 32 bytes of HKDF-SHA256 of {@code secret} for {@code info}: one block of the expand step. */
    static byte[] sha256(byte[] secret, String info) {
        return sha256(SALT, secret, info.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] sha256(byte[] salt, byte[] secret, byte[] infoBytes) {
        byte[] pseudoRandomKey = hmac(salt, secret);
        byte[] block = new byte[infoBytes.length + 1];
        System.arraycopy(infoBytes, 0, block, 0, infoBytes.length);
        block[infoBytes.length] = 1;
        return hmac(pseudoRandomKey, block);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks HmacSHA256, which every Java platform must provide", e);
        }
    }
}
