package dev.dynamo.node.transport;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.wire.FrameHeader;
import dev.dynamo.node.logging.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 * At most {@code maxHandling} requests are with the handler at once; past that the connection stops
 * reading, so a peer that floods us is held back by TCP flow control rather than by our memory.
 * Requests already read when the limit is reached wait in a queue bounded by what the socket had
 * delivered by then. A peer's request older than {@code maxAge} when its turn comes is answered
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

    private final Protocol<M> protocol;
    private final Function<M, CompletableFuture<M>> handler;
    private final int maxHandling;
    private final int maxFrameSize;
    private final long maxAgeMillis;
    private final Queue<Frame<M>> waiting = new ArrayDeque<>();
    private int handling;
    /** True while the loop in serveWaiting runs: a reply completed inside it must not start it again. */
    private boolean serving;

    ServerSession(Protocol<M> protocol, Function<M, CompletableFuture<M>> handler, int maxHandling, int maxFrameSize,
            Duration maxAge) {
        this.protocol = protocol;
        this.handler = handler;
        this.maxHandling = maxHandling;
        this.maxFrameSize = maxFrameSize;
        this.maxAgeMillis = maxAge.toMillis();
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
            while (handling < maxHandling && !waiting.isEmpty()) {
                serve(ctx, waiting.remove());
            }
        } finally {
            serving = false;
        }
        ctx.channel().config().setAutoRead(handling < maxHandling);
    }

    private void serve(ChannelHandlerContext ctx, Frame<M> request) {
        handling++;
        if (request.ageMillis() > maxAgeMillis) {
            String reason = "a request sent " + request.ageMillis() + " ms ago, after its sender stopped waiting ("
                    + maxAgeMillis + " ms), was not served";
            expiredRequests.warn("From " + ctx.channel().remoteAddress() + ": " + reason);
            answer(ctx, request.id(), protocol.notServed().apply(reason), null);
            return;
        }
        try {
            handler.apply(request.message()).whenComplete((reply, error) -> {
                if (ctx.executor().inEventLoop()) {
                    answer(ctx, request.id(), reply, error);
                } else {
                    ctx.executor().execute(() -> answer(ctx, request.id(), reply, error));
                }
            });
        } catch (RuntimeException e) {
            answer(ctx, request.id(), null, e);
        }
    }

    private void answer(ChannelHandlerContext ctx, long id, M reply, Throwable error) {
        handling--;
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(FrameCodec.encode(id, true, encode(reply, error)));
        }
        serveWaiting(ctx);
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
