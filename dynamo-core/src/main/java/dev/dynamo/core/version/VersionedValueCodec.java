package dev.dynamo.core.version;

import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage and replication form of a {@link VersionedValue}:
 * <pre>
 * [format version: 1]
 * [clock: varint n, then n times (actor: varint length + UTF-8, counter: varint)], actors sorted
 * [siblings: varint m, then m times (actor: varint index into the clock's actors, counter: varint,
 *   flags: 1 byte, bit 0 tombstone, bit 1 content type present, [content type: varint length + UTF-8],
 *   timestamp: zig-zag varint, value: varint length + bytes)]
 * </pre>
 * A sibling's actor is always in the clock, so it is written as an index: usually one byte.
 */
public final class VersionedValueCodec {

    static final int FORMAT_VERSION = 1;
    private static final int TOMBSTONE = 1;
    private static final int HAS_CONTENT_TYPE = 2;
    /** Set only on expiring content, so states without expiry keep the bytes they had before expiry existed. */
    private static final int EXPIRES = 4;

    private VersionedValueCodec() {
    }

    /** The stored form of {@code v}. */
    public static byte[] encode(VersionedValue v) {
        int expected = 16;
        for (Sibling s : v.siblings()) {
            expected += s.content().value().length + 48;
        }
        ByteWriter out = new ByteWriter(expected + 32 * v.clock().entries().size());
        out.writeByte(FORMAT_VERSION);
        writeClock(out, v.clock());
        List<String> actors = new ArrayList<>(v.clock().entries().keySet());
        out.writeVarLong(v.siblings().size());
        for (Sibling s : v.siblings()) {
            Content c = s.content();
            out.writeVarLong(Collections.binarySearch(actors, s.dot().actor()));
            out.writeVarLong(s.dot().counter());
            out.writeByte((c.tombstone() ? TOMBSTONE : 0) | (c.contentType() != null ? HAS_CONTENT_TYPE : 0)
                    | (c.expiresAt() != Content.NEVER ? EXPIRES : 0));
            if (c.contentType() != null) {
                out.writeString(c.contentType());
            }
            out.writeSignedVarLong(c.timestamp());
            if (c.expiresAt() != Content.NEVER) {
                out.writeVarLong(c.expiresAt());
            }
            out.writeBytes(c.value());
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException saying what is wrong, when {@code bytes} is not a stored form */
    public static VersionedValue decode(byte[] bytes) {
        ByteReader in = ByteReader.of(bytes, VersionedValueCodec::corrupt);
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw corrupt("has format version " + version + ", expected " + FORMAT_VERSION);
        }
        VersionVector clock = readClock(in);
        List<String> actors = List.copyOf(clock.entries().keySet());
        int actorCount = actors.size();
        int siblingCount = in.readLength();
        List<Sibling> siblings = new ArrayList<>(siblingCount);
        for (int i = 0; i < siblingCount; i++) {
            long index = in.readVarLong();
            long counter = in.readVarLong();
            if (index < 0 || index >= actorCount || counter < 1) {
                throw corrupt("has a bad sibling dot " + index + ":" + counter);
            }
            int flags = in.readByte();
            if ((flags & ~(TOMBSTONE | HAS_CONTENT_TYPE | EXPIRES)) != 0
                    || (flags & (TOMBSTONE | EXPIRES)) == (TOMBSTONE | EXPIRES)) {
                throw corrupt("has unknown sibling flags " + flags);
            }
            String contentType = (flags & HAS_CONTENT_TYPE) != 0 ? in.readString() : null;
            long timestamp = in.readSignedVarLong();
            long expiresAt = (flags & EXPIRES) != 0 ? in.readVarLong() : Content.NEVER;
            if ((flags & EXPIRES) != 0 && expiresAt == Content.NEVER) {
                throw corrupt("has an expiring sibling with no expiry time");
            }
            Content content = new Content(in.readBytes(), contentType, timestamp, (flags & TOMBSTONE) != 0, expiresAt);
            siblings.add(new Sibling(new Dot(actors.get((int) index), counter), content));
        }
        if (in.remaining() > 0) {
            throw corrupt("has " + in.remaining() + " trailing bytes");
        }
        try {
            return VersionedValue.of(clock, siblings);
        } catch (IllegalArgumentException e) {
            throw corrupt("is inconsistent: " + e.getMessage());
        }
    }

    /** Writes {@code clock} as in the stored form, for other codecs that carry a version vector. */
    public static void writeClock(ByteWriter out, VersionVector clock) {
        out.writeVarLong(clock.entries().size());
        clock.entries().forEach((actor, counter) -> {
            out.writeString(actor);
            out.writeVarLong(counter);
        });
    }

    /** Reads what {@link #writeClock} wrote, requiring the one form it writes: actors ascending, counters above 0. */
    public static VersionVector readClock(ByteReader in) {
        int count = in.readLength();
        Map<String, Long> entries = new LinkedHashMap<>();
        String previous = ""; // so an empty actor fails the order check
        for (int i = 0; i < count; i++) {
            String actor = in.readString();
            long counter = in.readVarLong();
            if (actor.compareTo(previous) <= 0 || counter < 1) {
                throw in.error("has a bad clock entry " + actor + "=" + counter);
            }
            entries.put(actor, counter);
            previous = actor;
        }
        return VersionVector.of(entries);
    }

    private static IllegalArgumentException corrupt(String what) {
        return new IllegalArgumentException("stored value " + what);
    }
}
