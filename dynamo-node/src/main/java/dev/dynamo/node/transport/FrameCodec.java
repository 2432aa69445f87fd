package dev.dynamo.node.transport;

import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.FrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The wire format. Every frame, the handshake's included, is {@code [u32 length][length bytes]}. A
 * length over the limit fails as soon as it is read, before anything is buffered, so a peer cannot
 * make us allocate past the limit; until the handshake succeeds the limit is the handshake's
 * largest message, so a stranger cannot even make us buffer a full-size frame. After the handshake
 * a frame holds a {@link FrameHeader} and a message of the connection's {@link Protocol}; this decoder
 * turns it into a {@link Frame} and fails on anything else, which closes the connection. A peer's
 * request has its sender's monotonic time ({@link RequestAge}) between the header and the message.
 */
final class FrameCodec<M> extends MessageToMessageDecoder<ByteBuf> {

    private static final int LENGTH = Integer.BYTES;
    /** A peer's proof and nonce, or a client's hello with credentials. */
    private static final int HANDSHAKE_LIMIT = ClientProtocol.MAX_HELLO;
    private static final String LENGTH_DECODER = "length";

    /** Bytes of a peer request's send time. */
    static final int SENT_AT = Long.BYTES;

    private final Protocol<M> protocol;
    /** Reads the age of stamped requests; null on connections whose requests carry no stamp. */
    private final RequestAge age;

    private FrameCodec(Protocol<M> protocol, RequestAge age) {
        super(ByteBuf.class);
        this.protocol = protocol;
        this.age = age;
    }

    /**
     * Adds the length prefix to {@code pipeline}, allowing only handshake messages for now. Flushes are
     * consolidated: the replies written while reading one batch of requests, or by the tasks the event
     * loop runs in one pass, leave in one system call instead of one each.
     */
    static void addFraming(ChannelPipeline pipeline, int maxFrameSize) {
        pipeline.addLast(new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        pipeline.addLast(LENGTH_DECODER, new LengthDecoder(maxFrameSize));
        pipeline.addLast(new LengthFieldPrepender(LENGTH));
    }

    /**
     * Called by a handshake handler when it succeeds: frames may now be as large as the limit, and
     * are read as {@link Frame}s of {@code protocol} where the handshake handler was; requests carry
     * their send time when {@code age} is given (a peer's connection to us), and none otherwise.
     */
    static void authenticated(ChannelHandlerContext handshake, Protocol<?> protocol, RequestAge age) {
        ChannelPipeline pipeline = handshake.pipeline();
        ((LengthDecoder) pipeline.get(LENGTH_DECODER)).authenticated = true;
        pipeline.replace(handshake.handler(), "frames", new FrameCodec<>(protocol, age));
    }

    /** A frame (without its length prefix) carrying an encoded message; the body is not copied. */
    static ByteBuf encode(long id, boolean reply, byte[] body) {
        return Unpooled.wrappedBuffer(FrameHeader.of(id, reply), body);
    }

    /** A peer request's frame, stamped with our monotonic time ({@link RequestAge}). */
    static ByteBuf encodeStamped(long id, byte[] body) {
        byte[] header = ByteBuffer.allocate(FrameHeader.SIZE + SENT_AT).putLong(id).put(FrameHeader.REQUEST)
                .putLong(RequestAge.now()).array();
        return Unpooled.wrappedBuffer(header, body);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < FrameHeader.SIZE) {
            throw new CorruptedFrameException("frame of " + in.readableBytes() + " bytes is shorter than its header");
        }
        long id = in.readLong();
        byte kind = in.readByte();
        if (kind != FrameHeader.REQUEST && kind != FrameHeader.REPLY) {
            throw new CorruptedFrameException("frame kind " + kind + " is neither request nor reply");
        }
        boolean stamped = age != null && kind == FrameHeader.REQUEST;
        if (stamped && in.readableBytes() < SENT_AT) {
            throw new CorruptedFrameException("a peer's request of " + in.readableBytes() + " bytes lacks its send time");
        }
        long ageMillis = stamped ? age.of(in.readLong()) : 0;
        try {
            int size = in.readableBytes();
            out.add(new Frame<>(id, kind == FrameHeader.REPLY, protocol.decode().apply(ByteBufUtil.getBytes(in)), size,
                    ageMillis));
        } catch (IllegalArgumentException e) {
            throw new CorruptedFrameException("undecodable message: " + e.getMessage(), e);
        }
    }

    /** Splits the byte stream at the length prefixes; runs on the event loop only. */
    private static final class LengthDecoder extends LengthFieldBasedFrameDecoder {

        private final int maxFrameSize;
        private boolean authenticated;
        private boolean tooLong;

        LengthDecoder(int maxFrameSize) {
            // no limit of its own: decode() checks the current one before the frame is buffered
            super(Integer.MAX_VALUE, 0, LENGTH, 0, LENGTH);
            this.maxFrameSize = maxFrameSize;
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            if (tooLong) {
                in.skipBytes(in.readableBytes()); // the connection is closing; say so once
                return null;
            }
            int limit = authenticated ? maxFrameSize : HANDSHAKE_LIMIT;
            if (in.readableBytes() >= LENGTH && in.getUnsignedInt(in.readerIndex()) > limit) {
                tooLong = true;
                String reason = "a frame of " + in.getUnsignedInt(in.readerIndex()) + " bytes is over the limit of "
                        + limit + (authenticated ? "" : " before authentication");
                if (!authenticated) { // perhaps a client's hello: tell it why (a peer ignores it and fails its handshake)
                    ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(ClientProtocol.refusal(reason)));
                }
                throw new TooLongFrameException(reason);
            }
            return super.decode(ctx, in);
        }
    }
}
