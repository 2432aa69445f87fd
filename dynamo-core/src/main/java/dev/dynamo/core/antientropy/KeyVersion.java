package dev.dynamo.core.antientropy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A stored key and the {@link VersionHash} of the version a replica holds: what replicas compare within a leaf. */
public record KeyVersion(byte[] key, long version) {

    public KeyVersion {
        Objects.requireNonNull(key, "key");
    }

    /**
     * The keys whose versions differ between two replicas' lists of the same leaves, held by either
     * or both, in the order of {@code mine} then of those only in {@code theirs}.
     */
    public static List<byte[]> differing(List<KeyVersion> mine, List<KeyVersion> theirs) {
        Map<ByteBuffer, KeyVersion> theirsByKey = new HashMap<>();
        for (KeyVersion kv : theirs) {
            theirsByKey.put(ByteBuffer.wrap(kv.key), kv);
        }
        List<byte[]> keys = new ArrayList<>();
        for (KeyVersion kv : mine) {
            KeyVersion other = theirsByKey.remove(ByteBuffer.wrap(kv.key));
            if (other == null || other.version != kv.version) {
                keys.add(kv.key);
            }
        }
        for (KeyVersion kv : theirs) {
            if (theirsByKey.containsKey(ByteBuffer.wrap(kv.key))) {
                keys.add(kv.key);
            }
        }
        return keys;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyVersion other && version == other.version && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "KeyVersion[" + key.length + " key bytes, " + Long.toHexString(version) + "]";
    }
}
