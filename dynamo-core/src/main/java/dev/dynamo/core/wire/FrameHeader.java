package dev.dynamo.core.wire;

import java.nio.ByteBuffer;

/**
 * The start of every frame after the handshake, in both protocols: {@code [u64 request id][u8 0 =
 * request, 1 = reply]}, then the message. The id pairs a reply with its request, so many requests share
 * one connection and their replies may come back in any order ({@link PendingRequests}).
 */
public final class FrameHeader {

    /** Bytes of the header. */
    public static final int SIZE = Long.BYTES + 1;
    /** The flag of a request frame. */
    public static final byte REQUEST = 0;
    /** The flag of a reply frame. */
    public static final byte REPLY = 1;

    private FrameHeader() {
    }

    /** The header of a frame carrying request {@code id}, or its reply. */
    public static byte[] of(long id, boolean reply) {
        return ByteBuffer.allocate(SIZE).putLong(id).put(reply ? REPLY : REQUEST).array();
    }
}
