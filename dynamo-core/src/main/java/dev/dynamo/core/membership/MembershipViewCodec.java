package dev.dynamo.core.membership;

import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The binary form of a {@link MembershipView}, for gossip and for keeping it on disk.
 *
 * <p>{@code [format 2]}, the cluster name, the member count then per member (in id order) id,
 * address, zone, status ordinal, version and issuer; the heartbeat count then per node (in id
 * order) id, generation and counter; a 0/1 byte and, after a 1, the ring ({@link RingCodec}); the
 * same for the next ring; the progress count then per node (in id order) id and step. Format 1,
 * written before membership changes existed, ends after the ring and is still read.
 * Strings are length-prefixed UTF-8, numbers varints ({@link ByteWriter}). Ids in order and flags
 * only 0 or 1 give each view exactly one encoding. New statuses go last.
 *
 * <p>{@link #decode} takes bytes from the network: it returns a valid view or throws an
 * IllegalArgumentException saying what is wrong.
 */
public final class MembershipViewCodec {

    /** The format this codec writes; the first byte of every encoded view. */
    public static final int FORMAT = 2;

    private static final MemberStatus[] STATUSES = MemberStatus.values();

    private MembershipViewCodec() {
    }

    /** The binary form of {@code view}. */
    public static byte[] encode(MembershipView view) {
        ByteWriter out = new ByteWriter(64 + 48 * view.members().size() + 24 * view.heartbeats().size());
        out.writeByte(FORMAT);
        out.writeString(view.cluster());
        out.writeVarLong(view.members().size());
        for (MemberEntry entry : view.members().values()) {
            out.writeString(entry.member().id());
            out.writeString(entry.member().address());
            out.writeString(entry.member().zone());
            out.writeByte(entry.status().ordinal());
            out.writeVarLong(entry.version());
            out.writeString(entry.issuer());
        }
        out.writeVarLong(view.heartbeats().size());
        view.heartbeats().forEach((id, heartbeat) -> {
            out.writeString(id);
            out.writeSignedVarLong(heartbeat.generation());
            out.writeVarLong(heartbeat.counter());
        });
        writeRing(out, view.ring().orElse(null));
        writeRing(out, view.next().orElse(null));
        out.writeVarLong(view.progress().size());
        view.progress().forEach((id, step) -> {
            out.writeString(id);
            out.writeVarLong(step);
        });
        return out.toByteArray();
    }

    private static void writeRing(ByteWriter out, Ring ring) {
        out.writeByte(ring != null ? 1 : 0);
        if (ring != null) {
            out.writeBytes(RingCodec.encode(ring));
        }
    }

    /** @throws IllegalArgumentException saying what is wrong, when {@code bytes} is not an encoded view */
    public static MembershipView decode(byte[] bytes) {
        ByteReader in = ByteReader.of(bytes, what -> new IllegalArgumentException("membership view " + what));
        int format = in.readByte();
        if (format != FORMAT && format != 1) {
            throw in.error("has format " + format + ", expected 1 or " + FORMAT);
        }
        String cluster = in.readString();
        List<MemberEntry> members = new ArrayList<>();
        String previous = null;
        for (int i = in.readLength(); i > 0; i--) {
            MemberEntry entry = readEntry(in);
            previous = inOrder(in, previous, entry.id());
            members.add(entry);
        }
        Map<String, Heartbeat> heartbeats = new TreeMap<>();
        previous = null;
        for (int i = in.readLength(); i > 0; i--) {
            String id = in.readString();
            previous = inOrder(in, previous, id);
            long generation = in.readSignedVarLong();
            long counter = in.readVarLong();
            heartbeats.put(id, checked(in, "heartbeat", () -> new Heartbeat(generation, counter)));
        }
        Ring ring = readRing(in, "ring");
        Ring next = format == 1 ? null : readRing(in, "next ring");
        Map<String, Long> progress = new TreeMap<>();
        previous = null;
        for (int i = format == 1 ? 0 : in.readLength(); i > 0; i--) {
            String id = in.readString();
            previous = inOrder(in, previous, id);
            progress.put(id, in.readVarLong());
        }
        if (in.remaining() > 0) {
            throw in.error("has " + in.remaining() + " trailing bytes");
        }
        if (next != null && ring != null && next.version() <= ring.version()) {
            throw in.error("has a next ring (version " + next.version() + ") no newer than its ring (version "
                    + ring.version() + ")");
        }
        return MembershipView.of(cluster, members, heartbeats, ring, next, progress);
    }

    private static Ring readRing(ByteReader in, String what) {
        return switch (in.readByte()) {
            case 0 -> null;
            case 1 -> {
                byte[] encoded = in.readBytes();
                yield checked(in, what, () -> RingCodec.decode(encoded));
            }
            default -> throw in.error("has a " + what + " flag that is neither 0 nor 1");
        };
    }

    private static MemberEntry readEntry(ByteReader in) {
        String id = in.readString();
        String address = in.readString();
        String zone = in.readString();
        int status = in.readByte();
        if (status >= STATUSES.length) {
            throw in.error("has unknown member status " + status);
        }
        long version = in.readVarLong();
        String issuer = in.readString();
        return checked(in, "member entry", () -> new MemberEntry(new Member(id, address, zone), STATUSES[status],
                version, issuer));
    }

    /** Ids strictly ascending, so that each view has one encoding. */
    private static String inOrder(ByteReader in, String previous, String id) {
        if (previous != null && previous.compareTo(id) >= 0) {
            throw in.error("has id '" + id + "' out of order");
        }
        return id;
    }

    private static <T> T checked(ByteReader in, String part, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw in.error("has a bad " + part + ": " + e.getMessage());
        }
    }
}
