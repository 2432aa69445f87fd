package dev.dynamo.node.transport;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.wire.FrameHeader;
import dev.dynamo.node.logging.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one authenticated connection, peer or client. The handler is called on the connection's
 * event loop and each reply is written when its future completes, in whatever order they complete.
 * At most {@link Limits#maxHandling} requests are with the handler at once, and at most {@link
 * Limits#maxBytes} bytes of requests being served and replies being written, within what the node's
 * {@link InFlightBytes} has room for; past that the connection stops reading, so a party that floods
 * us is held back by TCP flow control rather than by our memory. Requests already read when a limit is
 * reached wait in a queue bounded by what the socket had delivered by then. A connection idle for the
 * idle timeout ({@link IdleStateEvent}, from a handler before this one) with nothing in flight is closed. A peer's request older than {@code maxAge} when its turn comes is answered
 * {@link Protocol#notServed} without reaching the handler: its sender stopped waiting for it, and acting
 * on it that late could undo what happened since ({@link RequestAge}).
 * Runs on the event loop only, so its state needs no locks.
 */
final class ServerSession<M> extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);
    /** A remote party can send garbage at will: a line per ten seconds at most. */
    private static final RateLimitedLog closedForErrors = new RateLimitedLog(log, Duration.ofSeconds(10));
    private static final RateLimitedLog failedRequests = new RateLimitedLog(log, Duration.ofSeconds(10));
    private static final RateLimitedLog expiredRequests = new RateLimitedLog(log, Duration.ofSeconds(10));

    /**
     * What one connection may hold.
     *
     * @param maxHandling requests with the handler at once
     * @param maxBytes    bytes of its requests being served and its replies being written
     * @param nodeBytes   the node's budget of such bytes, shared with other connections
     * @param maxAge      a peer's request older than this when its turn comes is not served ({@link RequestAge})
     */
    record Limits(int maxHandling, long maxBytes, InFlightBytes nodeBytes, Duration maxAge) {
    }

    private final Protocol<M> protocol;
    private final Function<M, CompletableFuture<M>> handler;
    private final Limits limits;
    private final int maxFrameSize;
    private final Queue<Frame<M>> waiting = new ArrayDeque<>();
    private int handling;
    private long heldBytes;
    /** True while the loop in serveWaiting runs: a reply completed inside it must not start it again. */
    private boolean serving;

    ServerSession(Protocol<M> protocol, Function<M, CompletableFuture<M>> handler, Limits limits, int maxFrameSize) {
        this.protocol = protocol;
        this.handler = handler;
        this.limits = limits;
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    @SuppressWarnings("unchecked") // the FrameCodec before us reads frames of our protocol
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame<M> frame = (Frame<M>) msg;
        if (frame.reply()) {
            log.warn("Closing connection from {}: it sent a reply to no request",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        waiting.add(frame);
        serveWaiting(ctx);
    }

    private void serveWaiting(ChannelHandlerContext ctx) {
        if (serving) {
            return;
        }
        if (!ctx.channel().isActive()) {
            waiting.clear(); // nobody to answer
            return;
        }
        serving = true;
        try {
            while (handling < limits.maxHandling() && !waiting.isEmpty() && take(ctx, waiting.peek().size())) {
                serve(ctx, waiting.remove());
            }
        } finally {
            serving = false;
        }
        ctx.channel().config().setAutoRead(handling < limits.maxHandling() && waiting.isEmpty());
    }

    /** Takes {@code bytes} for this connection if it and the node have room (one request always fits an idle connection). */
    private boolean take(ChannelHandlerContext ctx, int bytes) {
        if (heldBytes > 0 && heldBytes + bytes > limits.maxBytes()) {
            return false; // a reply being written or a request being served gives room back
        }
        if (!limits.nodeBytes().tryTake(bytes)) {
            limits.nodeBytes().whenFreed(() -> ctx.executor().execute(() -> serveWaiting(ctx)));
            return false;
        }
        heldBytes += bytes;
        return true;
    }

    private void give(ChannelHandlerContext ctx, long bytes) {
        heldBytes -= bytes;
        limits.nodeBytes().give(bytes);
        serveWaiting(ctx);
    }

    private void serve(ChannelHandlerContext ctx, Frame<M> request) {
        handling++;
        if (request.ageMillis() > limits.maxAge().toMillis()) {
            String reason = "a request sent " + request.ageMillis() + " ms ago, after its sender stopped waiting ("
                    + limits.maxAge().toMillis() + " ms), was not served";
            expiredRequests.warn("From " + ctx.channel().remoteAddress() + ": " + reason);
            answer(ctx, request, protocol.notServed().apply(reason), null);
            return;
        }
        try {
            handler.apply(request.message()).whenComplete((reply, error) -> {
                if (ctx.executor().inEventLoop()) {
                    answer(ctx, request, reply, error);
                } else {
                    ctx.executor().execute(() -> answer(ctx, request, reply, error));
                }
            });
        } catch (RuntimeException e) {
            answer(ctx, request, null, e);
        }
    }

    /** Writes the reply; the request's bytes are held until then, the reply's until it is written. */
    private void answer(ChannelHandlerContext ctx, Frame<M> request, M reply, Throwable error) {
        handling--;
        if (ctx.channel().isActive()) {
            byte[] body = encode(reply, error);
            heldBytes += body.length;
            limits.nodeBytes().take(body.length);
            ctx.writeAndFlush(FrameCodec.encode(request.id(), true, body))
                    .addListener(written -> give(ctx, body.length));
        }
        give(ctx, request.size());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && handling == 0 && waiting.isEmpty()) {
            log.debug("Closing idle connection from {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    private byte[] encode(M reply, Throwable error) {
        M message = error != null ? failure(error)
                : reply != null ? reply
                : protocol.failure().apply("the handler completed with no reply");
        byte[] body = protocol.encode().apply(message);
        if (FrameHeader.SIZE + body.length > maxFrameSize) {
            return protocol.encode().apply(protocol.failure().apply("a reply of " + body.length
                    + " bytes is over the frame limit of " + maxFrameSize + " bytes"));
        }
        return body;
    }

    private M failure(Throwable error) {
        Throwable cause = Futures.cause(error);
        failedRequests.warn("A request failed in this node: " + cause);
        log.debug("Request failed", cause);
        return protocol.failure().apply(protocol.reasonFor().apply(cause));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closedForErrors.warn("Closing connection from " + ctx.channel().remoteAddress() + ": " + cause);
        ctx.close();
    }
}
