package dev.dynamo.core.wire;

import java.nio.charset.StandardCharsets;

/**
 * How an application's client talks to a node on the node's internode port, without the cluster
 * secret. Every frame is {@code [u32 length][length bytes]}. The node opens with its handshake
 * challenge, which a client ignores; the client's first frame is {@link #HELLO} instead of a proof, and
 * the node answers {@link #WELCOME}. From then on frames are {@code [u64 request id][u8 0 = request,
 * 1 = reply][MessageCodec bytes]}, and the node serves only the client messages ({@code ClientGet},
 * {@code ClientPut}, {@code ClientDelete}, {@code RingFetch}): nothing a client sends reaches replica,
 * gossip, transfer or anti-entropy handling.
 */
public final class ClientProtocol {

    /** A client's first frame; its length differs from a peer's proof, so the two cannot be confused. */
    public static final byte[] HELLO = "dynamo-client/1".getBytes(StandardCharsets.US_ASCII);
    /** The node's answer to {@link #HELLO}: requests may follow. */
    public static final byte[] WELCOME = "dynamo-client/1 ok".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of a frame before its message: the request id and the reply flag. */
    public static final int FRAME_HEADER = Long.BYTES + 1;
    /** The reply flag of a request frame. */
    public static final byte REQUEST = 0;
    /** The reply flag of a reply frame. */
    public static final byte REPLY = 1;

    private ClientProtocol() {
    }
}
