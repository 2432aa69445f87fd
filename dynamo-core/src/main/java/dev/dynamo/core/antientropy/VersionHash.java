package dev.dynamo.core.antientropy;

import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.version.Sibling;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;

/**
 * The 64-bit hash of one stored key and its causal version: the clock and the dots of its siblings,
 * which two replicas holding the same state share byte for byte (a dot names one write, so equal
 * dots mean equal contents; clock actors and siblings are kept sorted). Values are not hashed, so a
 * large value costs the writer thread nothing more. Not cryptographic: replicas trust each other.
 */
public final class VersionHash {

    /** The hash of a key this replica holds nothing for: it adds nothing to a leaf. */
    public static final long ABSENT = 0;

    private VersionHash() {
    }

    /** The hash of {@code storedKey} at {@code value}; {@link #ABSENT} for the empty state, never otherwise. */
    public static long of(byte[] storedKey, VersionedValue value) {
        if (value.siblings().isEmpty() && value.clock().entries().isEmpty()) {
            return ABSENT;
        }
        ByteWriter out = new ByteWriter(storedKey.length + 16 + 24 * value.siblings().size());
        out.writeBytes(storedKey);
        VersionedValueCodec.writeClock(out, value.clock());
        for (Sibling s : value.siblings()) {
            out.writeString(s.dot().actor());
            out.writeVarLong(s.dot().counter());
        }
        long h = hash(out.toByteArray());
        return h == ABSENT ? 1 : h;
    }

    /** FNV-1a over the bytes, then the SplitMix64 finaliser so that every input bit reaches every output bit. */
    static long hash(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
