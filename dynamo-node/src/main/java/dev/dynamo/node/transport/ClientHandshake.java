package dev.dynamo.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connecting side of the handshake ({@link ClusterKey}): answers the peer's challenge with a
 * proof, a challenge of its own and our monotonic time ({@link RequestAge}), checks the peer's proof, and only then tells the
 * {@link PeerConnection} it may send. Any failure fails the connection with a reason its waiting
 * requests pass on to their callers.
 *
 * <p>Over TLS the challenge arrives only once the TLS handshake verified the node we dialled (an
 * {@link SslHandler} passes on no data before), so we answer no one else; both proofs are bound to the
 * channel ({@link ChannelBinding}).
 */
final class ClientHandshake extends ChannelInboundHandlerAdapter {

    private final ClusterKey key;
    private final Duration timeout;
    private final PeerConnection connection;
    /** Called when the peer answers our TLS in clear. */
    private final Runnable answeredInClear;
    /** Our challenge to the peer; null until we answered its own. */
    private byte[] nonce;
    /** The channel's binding, read when we answer. */
    private byte[] binding;
    private ScheduledFuture<?> deadline;

    ClientHandshake(ClusterKey key, Duration timeout, PeerConnection connection, Runnable answeredInClear) {
        this.key = key;
        this.timeout = timeout;
        this.connection = connection;
        this.answeredInClear = answeredInClear;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> connection.fail(new TransportException(
                        connection.address() + " did not complete authentication within " + timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (nonce == null) {
                answer(ctx, frame);
            } else {
                check(ctx, frame);
            }
        } finally {
            frame.release();
        }
    }

    private void answer(ChannelHandlerContext ctx, ByteBuf challenge) {
        if (challenge.readableBytes() != ClusterKey.NONCE) {
            connection.fail(new TransportException(connection.address() + " sent a malformed handshake"));
            return;
        }
        byte[] peerNonce = new byte[ClusterKey.NONCE];
        challenge.readBytes(peerNonce);
        Optional<byte[]> bound = ChannelBinding.of(ctx.pipeline(), false);
        if (bound.isEmpty()) {
            connection.fail(new TransportException(connection.address()
                    + " failed authentication: it did not ask for our certificate, as every node does"));
            return;
        }
        binding = bound.get();
        nonce = ClusterKey.nonce();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(key.proof(ClusterKey.CLIENT, peerNonce, binding), nonce,
                ByteBuffer.allocate(FrameCodec.SENT_AT).putLong(RequestAge.now()).array()));
    }

    private void check(ChannelHandlerContext ctx, ByteBuf proof) {
        byte[] bytes = new byte[proof.readableBytes()];
        proof.readBytes(bytes);
        if (bytes.length != ClusterKey.PROOF || !key.verify(ClusterKey.SERVER, nonce, binding, bytes)) {
            connection.fail(new TransportException(
                    connection.address() + " failed authentication (cluster secret differs)"));
            return;
        }
        deadline.cancel(false);
        FrameCodec.authenticated(ctx, Protocol.PEERS, null); // our connection carries only replies to us
        connection.authenticated();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            if (tls.cause() instanceof NotSslRecordException) {
                answeredInClear.run();
            }
            connection.fail(new TransportException(
                    connection.address() + " failed the TLS handshake: " + tls.cause().getMessage(), tls.cause()));
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel(false);
        if (nonce != null) {
            // we answered and the peer hung up instead of proving itself: it did not accept our proof
            connection.fail(new TransportException(
                    connection.address() + " refused authentication (cluster secret differs)"));
        }
        ctx.fireChannelInactive();
    }
}
