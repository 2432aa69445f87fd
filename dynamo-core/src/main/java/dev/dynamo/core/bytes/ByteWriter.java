package dev.dynamo.core.bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer writing the codecs' primitives: bytes, unsigned varints, length-prefixed text. */
public final class ByteWriter {

    private byte[] buffer;
    private int size;

    public ByteWriter(int expectedSize) {
        buffer = new byte[Math.max(16, expectedSize)];
    }

    public void writeByte(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    /** Unsigned LEB128: seven bits a byte, low bits first; small counters and lengths take one byte. */
    public void writeVarLong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    /** Zig-zag, so that negative numbers stay short too. */
    public void writeSignedVarLong(long value) {
        writeVarLong((value << 1) ^ (value >> 63));
    }

    public void writeBytes(byte[] bytes) {
        writeVarLong(bytes.length);
        writeRaw(bytes);
    }

    public void writeString(String text) {
        writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    public byte[] toByteArray() {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (buffer.length - size < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
