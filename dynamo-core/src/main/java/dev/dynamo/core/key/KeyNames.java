package dev.dynamo.core.key;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The contract's limits on bucket names and keys, checked once at every edge (HTTP, client). */
public final class KeyNames {

    /** Longest key, in bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private KeyNames() {
    }

    /** @throws IllegalArgumentException saying why, when {@code bucket} is not a valid bucket name */
    public static String requireValidBucket(String bucket) {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException(
                    "bucket name must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
        }
        return bucket;
    }

    /** @throws IllegalArgumentException saying why, when {@code key} is not 1 to 1024 bytes */
    public static byte[] requireValidKey(byte[] key) {
        if (key == null || key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key must be 1 to " + MAX_KEY_BYTES + " bytes, was "
                    + (key == null ? 0 : key.length));
        }
        return key;
    }

    /** A key for logs and messages: UTF-8 text where it is, else hexadecimal. */
    public static String printable(byte[] key) {
        String text = new String(key, StandardCharsets.UTF_8);
        if (text.chars().allMatch(c -> c >= 0x20 && c != 0x7f && c != 0xfffd)) {
            return text;
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : key) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
