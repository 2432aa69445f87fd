package dev.dynamo.core.ring;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ring's binary form, for gossip and for keeping it on disk.
 *
 * <p>{@code [format 1][log2 Q: 1][version: 8][member count: 2]} then per member three strings
 * (id, address, zone; each a two-byte length and UTF-8), then per partition the owner's index in
 * that member list as two bytes. Members are in id order, so each ring has one encoding; owners
 * as indexes keep a 256-partition ring of ten members under 800 bytes.
 */
public final class RingCodec {

    /** The format this codec writes; the first byte of every encoded ring. */
    public static final byte FORMAT = 1;

    private RingCodec() {
    }

    /** The binary form of a ring. */
    public static byte[] encode(Ring ring) {
        List<Member> members = ring.members();
        if (members.size() > 0xFFFF) {
            throw new IllegalArgumentException("at most 65535 members can be encoded, got " + members.size());
        }
        Map<String, Integer> index = new HashMap<>();
        List<byte[]> strings = new ArrayList<>();
        for (Member m : members) {
            index.put(m.id(), index.size());
            for (String s : List.of(m.id(), m.address(), m.zone())) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                if (bytes.length > 0xFFFF) {
                    throw new IllegalArgumentException("member field longer than 65535 bytes: " + m.id());
                }
                strings.add(bytes);
            }
        }
        int size = 1 + 1 + 8 + 2 + strings.stream().mapToInt(b -> 2 + b.length).sum() + 2 * ring.partitions();
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT)
                .put((byte) Integer.numberOfTrailingZeros(ring.partitions()))
                .putLong(ring.version()).putShort((short) members.size());
        strings.forEach(b -> out.putShort((short) b.length).put(b));
        ring.owners().forEach(o -> out.putShort((short) (int) index.get(o)));
        return out.array();
    }

    /** A ring from its binary form; corrupt or unknown input is an IllegalArgumentException. */
    public static Ring decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte format = in.get();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown ring format " + format + ", expected " + FORMAT);
            }
            int log2 = in.get();
            if (log2 < 0 || log2 > 16) {
                throw new IllegalArgumentException("partition count 2^" + log2 + " out of range 2^0..2^16");
            }
            int partitions = 1 << log2;
            long version = in.getLong();
            int count = Short.toUnsignedInt(in.getShort());
            requireBytes(in, 6L * count); // a member takes at least its three two-byte lengths
            List<Member> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Member m = new Member(string(in), string(in), string(in));
                // Members are written in id order, so one ring has exactly one encoding.
                if (i > 0 && members.get(i - 1).id().compareTo(m.id()) >= 0) {
                    throw new IllegalArgumentException("member '" + m.id() + "' out of id order");
                }
                members.add(m);
            }
            requireBytes(in, 2L * partitions);
            List<String> owners = new ArrayList<>(partitions);
            for (int p = 0; p < partitions; p++) {
                int owner = Short.toUnsignedInt(in.getShort());
                if (owner >= count) {
                    throw new IllegalArgumentException("partition " + p + " owner index " + owner
                            + " out of range for " + count + " members");
                }
                owners.add(members.get(owner).id());
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the ring");
            }
            return Ring.of(partitions, version, members, owners);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("encoded ring is truncated (" + bytes.length + " bytes)", e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("corrupt ring: ")
                    ? e : new IllegalArgumentException("corrupt ring: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses as truncated what the bytes left cannot hold, before a list or array is sized by it: 16
     * bytes claiming 65535 members must not cost a list of 65535.
     */
    private static void requireBytes(ByteBuffer in, long needed) {
        if (in.remaining() < needed) {
            throw new BufferUnderflowException();
        }
    }

    private static String string(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        requireBytes(in, length);
        byte[] bytes = new byte[length];
        in.get(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("member field is not valid UTF-8", e);
        }
    }
}
