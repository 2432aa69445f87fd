package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.MessageCodec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a peer, shared by every request to it. A request gets the next id and waits in
 * {@code pending} until its reply, its timeout or the end of the connection, whichever comes first;
 * each of those removes it, so exactly one completes its future. Requests made during the handshake
 * are written once it succeeds, never before.
 */
final class PeerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);

    private final Peer peer;
    private final Duration requestTimeout;
    private final int maxFrameSize;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> authenticated = new CompletableFuture<>();
    /** Why the connection failed; the first reason wins, later ones are consequences. */
    private final AtomicReference<TransportException> failure = new AtomicReference<>();
    /** Set once the connection is over; a request that sees it fails instead of waiting. */
    private volatile TransportException ended;
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
        byte[] body = MessageCodec.encode(request);
        if (FrameCodec.HEADER + body.length > maxFrameSize) {
            return CompletableFuture.failedFuture(new TransportException("a request of " + body.length
                    + " bytes is over the frame limit of " + maxFrameSize + " bytes"));
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Message> reply = new CompletableFuture<>();
        pending.put(id, new Pending(reply, sizes));
        if (ended != null) { // ended before we were added: the sweep may have missed us
            fail(id, ended);
            return reply;
        }
        try {
            ScheduledFuture<?> timeout = channel.eventLoop().schedule(
                    () -> fail(id, new TransportException(address() + " did not answer within " + requestTimeout)),
                    requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
            reply.whenComplete((r, e) -> timeout.cancel(false));
        } catch (RejectedExecutionException e) {
            fail(id, new TransportException("transport closed", e));
            return reply;
        }
        sizes.accept(body.length);
        authenticated.thenRun(() -> write(id, body));
        return reply;
    }

    private void write(long id, byte[] body) {
        if (!pending.containsKey(id)) {
            return; // timed out while the handshake ran
        }
        channel.writeAndFlush(FrameCodec.encode(id, false, body)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(id, new TransportException("could not send to " + address(), f.cause()));
            }
        });
    }

    boolean isOver() {
        return ended != null;
    }

    /** Called by the handshake: requests may flow. */
    void authenticated() {
        peer.connected();
        authenticated.complete(null);
    }

    /** Closes the connection for {@code cause}, unless it already failed for another reason. */
    void fail(TransportException cause) {
        failure.compareAndSet(null, cause);
        channel.close();
    }

    /** Closes the connection and fails its requests now, not once the close completes. */
    void close(TransportException cause) {
        fail(cause);
        failPending(cause);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel(); // the same channel attach() sets; whichever thread gets there first
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        if (!frame.reply()) {
            log.warn("Closing internode connection to {}: it sent a request on our connection", address());
            fail(new TransportException(address() + " broke the protocol"));
            return;
        }
        Pending waiting = pending.remove(frame.id());
        if (waiting != null) { // absent when the request timed out first
            waiting.sizes().accept(frame.size());
            waiting.reply().complete(frame.message());
        }
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
        boolean wasAuthenticated = authenticated.isDone() && !authenticated.isCompletedExceptionally();
        failure.compareAndSet(null, new TransportException("connection to " + address() + " closed"));
        // requests are only written once authenticated: before that, none of them reached the peer
        TransportException cause = wasAuthenticated ? failure.get()
                : new RequestNotSentException(failure.get().getMessage(), failure.get());
        peer.closed(this, wasAuthenticated, cause, channel.eventLoop()); // first, so a caller retrying on failure sees the backoff
        failPending(cause);
    }

    private void failPending(TransportException cause) {
        ended = cause;
        authenticated.completeExceptionally(cause);
        pending.keySet().forEach(id -> fail(id, cause));
    }

    private void fail(long id, TransportException cause) {
        Pending waiting = pending.remove(id);
        if (waiting != null) {
            waiting.reply().completeExceptionally(cause);
        }
    }

    /** A request waiting for its reply, and who hears the sizes of both. */
    private record Pending(CompletableFuture<Message> reply, IntConsumer sizes) {
    }
}
