package dev.dynamo.core.version;

import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque causal context token clients carry in the X-Dynamo-Context header (DeCandia et al.
 * 2007, section 4.4): base64url without padding of
 * {@code [format version: 1][varint n][n times: varint actor length, actor UTF-8, varint counter]}
 * followed by the first 8 bytes of HMAC-SHA256, keyed by the cluster secret's context key, over
 * everything before it and then the key it was read from ({@code [varint length, bucket UTF-8][varint
 * length, key bytes]}).
 *
 * <p>The MAC matters because a forged context that covers writes not yet made would make later
 * writes silently drop them; binding it to its key keeps one key's context from discarding another
 * key's siblings its client never read. Counters stay at or below {@link #MAX_COUNTER}, so no
 * arithmetic on a counter from a client can overflow. Thread-safe.
 */
public final class CausalContextCodec {

    static final int FORMAT_VERSION = 1;
    static final int MAX_TOKEN_CHARS = 8192;
    static final int MAX_ENTRIES = 1024;
    static final int MAX_ACTOR_BYTES = 255;
    static final int MAC_BYTES = 8;
    /** The largest counter a token may carry: far beyond any node's writes, far below overflow. */
    static final long MAX_COUNTER = Long.MAX_VALUE >> 2;
    /** Used when the cluster has no secret, so tokens are still checked for corruption and tampering. */
    private static final byte[] BUILT_IN_KEY =
            "dynamo-causal-context-without-cluster-secret".getBytes(StandardCharsets.US_ASCII);

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Mac prototype;

    /** A codec keyed by the cluster secret; an empty secret uses a fixed built-in key. */
    public CausalContextCodec(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        key = new SecretKeySpec(secret.length == 0 ? BUILT_IN_KEY : secret, "HmacSHA256");
        prototype = newMac();
    }

    /**
     * The token for {@code context}.
     *
     * @throws IllegalArgumentException when the token would break the limits {@link #decode} checks
     */
    public String encode(VersionVector context, String bucket, byte[] key) {
        Map<String, Long> entries = context.entries();
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("context has " + entries.size() + " entries, more than " + MAX_ENTRIES);
        }
        ByteWriter out = new ByteWriter(2 + entries.size() * 24 + MAC_BYTES);
        out.writeByte(FORMAT_VERSION);
        out.writeVarLong(entries.size());
        entries.forEach((actor, counter) -> {
            byte[] utf8 = actor.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_ACTOR_BYTES) {
                throw new IllegalArgumentException("context actor is longer than " + MAX_ACTOR_BYTES + " bytes");
            }
            if (counter > MAX_COUNTER) {
                throw new IllegalArgumentException("context counter of " + actor + " is above " + MAX_COUNTER);
            }
            out.writeBytes(utf8);
            out.writeVarLong(counter);
        });
        byte[] body = out.toByteArray();
        out.writeRaw(Arrays.copyOf(mac(body, body.length, bucket, key), MAC_BYTES));
        String token = BASE64.encodeToString(out.toByteArray());
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("context token would be longer than 8 KiB");
        }
        return token;
    }

    /** The context in {@code token}, once checked for format, tampering and being read from this key. */
    public VersionVector decode(String token, String bucket, byte[] key) throws InvalidContextException {
        byte[] bytes = base64(token);
        if (bytes[0] != FORMAT_VERSION) {
            throw invalid("format version " + Byte.toUnsignedInt(bytes[0]) + " is not supported");
        }
        if (bytes.length < 2 + MAC_BYTES) {
            throw invalid("is truncated");
        }
        // Structure first, so a cut-off token says "truncated" rather than "altered".
        int bodyLength = bytes.length - MAC_BYTES;
        ByteReader in = new ByteReader(bytes, bodyLength, CausalContextCodec::invalid);
        in.readByte();
        long count = in.readVarLong();
        if (count < 0 || count > MAX_ENTRIES) {
            throw invalid("has more than " + MAX_ENTRIES + " entries");
        }
        Map<String, Long> entries = new LinkedHashMap<>();
        String previous = null;
        for (long i = 0; i < count; i++) {
            long length = in.readVarLong();
            if (length == 0) {
                throw invalid("has an empty actor");
            }
            if (length < 0 || length > MAX_ACTOR_BYTES) {
                throw invalid("has an actor longer than " + MAX_ACTOR_BYTES + " bytes");
            }
            String actor = in.text(in.readRaw((int) length));
            if (previous != null && previous.compareTo(actor) >= 0) {
                throw invalid(previous.equals(actor) ? "lists actor " + actor + " twice" : "lists actors out of order");
            }
            long counter = in.readVarLong();
            if (counter < 1) {
                throw invalid("has a counter below 1 for actor " + actor);
            }
            if (counter > MAX_COUNTER) {
                throw invalid("has a counter above " + MAX_COUNTER + " for actor " + actor);
            }
            entries.put(actor, counter);
            previous = actor;
        }
        if (in.remaining() > 0) {
            throw invalid("has trailing bytes");
        }
        byte[] expected = Arrays.copyOf(mac(bytes, bodyLength, bucket, key), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, bodyLength, bytes.length))) {
            throw invalid("was altered, comes from another cluster or was read from another key");
        }
        return VersionVector.of(entries);
    }

    private static byte[] base64(String token) {
        if (token == null || token.isEmpty()) {
            throw invalid("is empty");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw invalid("is longer than 8 KiB");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            // The JDK decoder also takes '=' padding; tokens are made without, so one with is not ours.
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw invalid("is not base64url");
            }
        }
        try {
            return Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid("is not base64url");
        }
    }

    private byte[] mac(byte[] bytes, int length, String bucket, byte[] key) {
        Mac mac;
        try {
            // A clone carries the keyed state, so no key setup per call; a ThreadLocal would redo it
            // for every virtual thread. The prototype is never used itself, so cloning it is safe.
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac();
        }
        mac.update(bytes, 0, length);
        ByteWriter binding = new ByteWriter(8 + bucket.length() + key.length);
        binding.writeString(bucket);
        binding.writeBytes(key);
        return mac.doFinal(binding.toByteArray());
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static InvalidContextException invalid(String what) {
        return new InvalidContextException("context " + what);
    }
}
