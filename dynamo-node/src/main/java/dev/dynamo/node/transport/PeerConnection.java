package dev.dynamo.node.transport;

import dev.dynamo.core.wire.FrameHeader;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.PendingRequests;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a peer, shared by every request to it, multiplexed by request id
 * ({@link PendingRequests}). Requests made during the handshake are written once it succeeds, never
 * before.
 */
final class PeerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);

    private final Peer peer;
    private final Duration requestTimeout;
    private final int maxFrameSize;
    private final PendingRequests<Frame<Message>> pending = new PendingRequests<>();
    /** Why the connection failed; the first reason wins, later ones are consequences. */
    private final AtomicReference<TransportException> failure = new AtomicReference<>();
    private volatile Channel channel;

    PeerConnection(Peer peer, Duration requestTimeout, int maxFrameSize) {
        this.peer = peer;
        this.requestTimeout = requestTimeout;
        this.maxFrameSize = maxFrameSize;
    }

    String address() {
        return peer.address();
    }

    /** Follows the connection attempt; a connection that never opens ends here. */
    void attach(ChannelFuture connecting) {
        channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                fail(new TransportException("cannot connect to " + address() + ": " + f.cause().getMessage(),
                        f.cause()));
                end();
            }
        });
    }

    /** Sends {@code request}; {@code sizes} hears its encoded size, then its reply's. */
    CompletableFuture<Message> send(Message request, IntConsumer sizes) {
        byte[] body = Protocol.PEERS.encode().apply(request);
        if (FrameHeader.SIZE + FrameCodec.SENT_AT + body.length > maxFrameSize) {
            return CompletableFuture.failedFuture(new MessageTooLargeException("a request of " + body.length
                    + " bytes is over the frame limit of " + maxFrameSize + " bytes"));
        }
        sizes.accept(body.length);
        try {
            return pending.send(id -> write(id, body), channel.eventLoop(), requestTimeout,
                    () -> new TransportException(address() + " did not answer within " + requestTimeout))
                    .thenApply(reply -> {
                        sizes.accept(reply.size());
                        return reply.message();
                    });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new TransportException("transport closed", e));
        }
    }

    private void write(long id, byte[] body) {
        channel.writeAndFlush(FrameCodec.encodeStamped(id, body)).addListener(f -> {
            if (!f.isSuccess()) {
                pending.fail(id, new TransportException("could not send to " + address(), f.cause()));
            }
        });
    }

    boolean isOver() {
        return pending.isOver();
    }

    /** Called by the handshake: requests may flow. */
    void authenticated() {
        peer.connected();
        pending.open();
    }

    /** Closes the connection for {@code cause}, unless it already failed for another reason. */
    void fail(TransportException cause) {
        failure.compareAndSet(null, cause);
        channel.close();
    }

    /** Closes the connection and fails its requests now, not once the close completes. */
    void close(TransportException cause) {
        fail(cause);
        pending.end(cause);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel(); // the same channel attach() sets; whichever thread gets there first
    }

    @Override
    @SuppressWarnings("unchecked") // the FrameCodec before us reads peers' frames
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame<Message> frame = (Frame<Message>) msg;
        if (!frame.reply()) {
            log.warn("Closing internode connection to {}: it sent a request on our connection", address());
            fail(new TransportException(address() + " broke the protocol"));
            return;
        }
        pending.complete(frame.id(), frame); // false when the request timed out first
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("Closing internode connection to {}: {}", address(), cause.toString());
        fail(new TransportException("connection to " + address() + " failed: " + cause.getMessage(), cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end();
        ctx.fireChannelInactive();
    }

    private void end() {
        boolean wasAuthenticated = pending.hasOpened();
        failure.compareAndSet(null, new TransportException("connection to " + address() + " closed"));
        // requests are only written once authenticated: before that, none of them reached the peer
        TransportException cause = wasAuthenticated ? failure.get()
                : new RequestNotSentException(failure.get().getMessage(), failure.get());
        peer.closed(this, wasAuthenticated, cause, channel.eventLoop()); // first, so a caller retrying on failure sees the backoff
        pending.end(cause);
    }
}
