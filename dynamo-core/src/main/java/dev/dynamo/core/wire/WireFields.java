package dev.dynamo.core.wire;

import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** The field forms both protocols' codecs share, and the rejection every decoding error becomes. */
final class WireFields {

    private WireFields() {
    }

    /** A reader of {@code bytes} from the network whose errors say "message ...". */
    static ByteReader reader(byte[] bytes) {
        return ByteReader.of(bytes, WireFields::malformed);
    }

    /** Throws unless the message was read to its end. */
    static void requireEnd(ByteReader in) {
        if (in.remaining() > 0) {
            throw malformed("has " + in.remaining() + " trailing bytes");
        }
    }

    static <T> void writeOptional(ByteWriter out, T field, BiConsumer<ByteWriter, T> write) {
        out.writeByte(field == null ? 0 : 1);
        if (field != null) {
            write.accept(out, field);
        }
    }

    static <T> T readOptional(ByteReader in, Function<ByteReader, T> read) {
        return readFlag(in) ? read.apply(in) : null;
    }

    /** Only 0 and 1, so that each message has one encoding. */
    static boolean readFlag(ByteReader in) {
        int flag = in.readByte();
        if (flag > 1) {
            throw malformed("has a flag byte " + flag + " that is neither 0 nor 1");
        }
        return flag == 1;
    }

    static int readInt(ByteReader in) {
        long n = in.readSignedVarLong();
        if (n != (int) n) {
            throw malformed("has a number too large for 32 bits");
        }
        return (int) n;
    }

    /** A count, then that many items; the count is checked against the bytes left before anything is allocated. */
    static <T> List<T> readList(ByteReader in, Function<ByteReader, T> read) {
        int count = in.readLength();
        List<T> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(read.apply(in));
        }
        return items;
    }

    /** An enum constant written as its ordinal, so new constants go last. */
    static <E extends Enum<E>> E readOrdinal(ByteReader in, E[] values, String what) {
        int ordinal = in.readByte();
        if (ordinal >= values.length) {
            throw malformed("has unknown " + what + " " + ordinal);
        }
        return values[ordinal];
    }

    /** Runs a decoder or validator of another type, naming the part it rejects. */
    static <T> T checked(String part, Supplier<T> decode) {
        try {
            return decode.get();
        } catch (IllegalArgumentException e) {
            throw malformed("has a bad " + part + ": " + e.getMessage());
        }
    }

    static IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("message " + what);
    }
}
