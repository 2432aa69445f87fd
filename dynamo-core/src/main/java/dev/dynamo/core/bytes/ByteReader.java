package dev.dynamo.core.bytes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Reads what {@link ByteWriter} writes from untrusted bytes. Every length is checked against the
 * bytes left before anything is allocated, so corrupt input fails with a message, never with an
 * out-of-memory error; {@code error} turns "is truncated" and the like into the caller's exception.
 */
public final class ByteReader {

    private final byte[] bytes;
    private final int end;
    private final Function<String, ? extends IllegalArgumentException> errors;
    private int position;

    public ByteReader(byte[] bytes, int end, Function<String, ? extends IllegalArgumentException> error) {
        this.bytes = bytes;
        this.end = end;
        this.errors = error;
    }

    /** A reader of all of {@code bytes}; null or no bytes at all is the error "is empty". */
    public static ByteReader of(byte[] bytes, Function<String, ? extends IllegalArgumentException> error) {
        if (bytes == null || bytes.length == 0) {
            throw error.apply("is empty");
        }
        return new ByteReader(bytes, bytes.length, error);
    }

    public int readByte() {
        if (position >= end) {
            throw error("is truncated");
        }
        return bytes[position++] & 0xFF;
    }

    public long readVarLong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            if (shift == 63 && b > 1) {
                throw error("has a number too large for 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw error("has a number too large for 64 bits");
    }

    public long readSignedVarLong() {
        long raw = readVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A count or length: never more than the bytes left, as each counted thing takes at least one. */
    public int readLength() {
        long length = readVarLong();
        if (length < 0 || length > remaining()) {
            throw error("is truncated");
        }
        return (int) length;
    }

    public byte[] readBytes() {
        return readRaw(readLength());
    }

    public String readString() {
        return text(readBytes());
    }

    public String text(byte[] utf8) {
        try {
            // Strict decoding: a corrupt name must fail rather than turn into U+FFFD silently.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw error("has text that is not UTF-8");
        }
    }

    public byte[] readRaw(int length) {
        if (length > remaining()) {
            throw error("is truncated");
        }
        byte[] raw = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return raw;
    }

    public int remaining() {
        return end - position;
    }

    /** The caller's exception, for what the caller finds wrong in what it read. */
    public IllegalArgumentException error(String what) {
        return errors.apply(what);
    }
}
