package dev.dynamo.node.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bucket and key as the raw request path {@code /kv/{bucket}/{key}} names them, unchecked: the
 * {@link dev.dynamo.node.kv.KvService} checks them as it checks every door's. The key is taken from the
 * still-encoded path and percent-decoded to bytes here, so a key may hold any bytes, '/' and '%'
 * included, and is never reinterpreted as text.
 */
record KvPath(String bucket, byte[] key) {

    static final String PREFIX = "/kv/";

    static KvPath parse(String rawPath) {
        if (!rawPath.startsWith(PREFIX)) {
            throw new BadRequestException("path must be /kv/{bucket}/{key}");
        }
        int slash = rawPath.indexOf('/', PREFIX.length());
        if (slash < 0) {
            throw new BadRequestException("path must be /kv/{bucket}/{key}: the key is missing");
        }
        String bucket = new String(decode(rawPath.substring(PREFIX.length(), slash)), StandardCharsets.UTF_8);
        return new KvPath(bucket, decode(rawPath.substring(slash + 1)));
    }

    private static byte[] decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw new BadRequestException("malformed percent-encoding in the path at character " + i);
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        return bytes.toByteArray();
    }
}
