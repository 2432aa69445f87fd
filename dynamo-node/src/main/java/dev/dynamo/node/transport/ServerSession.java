package dev.dynamo.node.transport;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.wire.Message.Failure;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.MessageCodec;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one authenticated connection. The handler is called on the connection's
 * event loop and each reply is written when its future completes, in whatever order they complete.
 * At most {@code maxHandling} requests are with the handler at once; past that the connection stops
 * reading, so a peer that floods us is held back by TCP flow control rather than by our memory.
 * Requests already read when the limit is reached wait in a queue bounded by what the socket had
 * delivered by then.
 * Runs on the event loop only, so its state needs no locks.
 */
final class ServerSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);

    private final MessageHandler handler;
    private final int maxHandling;
    private final int maxFrameSize;
    private final Queue<Frame> waiting = new ArrayDeque<>();
    private int handling;
    /** True while the loop in serveWaiting runs: a reply completed inside it must not start it again. */
    private boolean serving;

    ServerSession(MessageHandler handler, int maxHandling, int maxFrameSize) {
        this.handler = handler;
        this.maxHandling = maxHandling;
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        if (frame.reply()) {
            log.warn("Closing internode connection from {}: it sent a reply to no request",
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

    private void serve(ChannelHandlerContext ctx, Frame request) {
        handling++;
        try {
            handler.handle(request.message()).whenComplete((reply, error) -> {
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

    private void answer(ChannelHandlerContext ctx, long id, Message reply, Throwable error) {
        handling--;
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(FrameCodec.encode(id, true, encode(reply, error)));
        }
        serveWaiting(ctx);
    }

    private byte[] encode(Message reply, Throwable error) {
        Message message = error != null ? failure(error)
                : reply != null ? reply
                : new Failure(Failure.Kind.INTERNAL, "the handler completed with no reply");
        byte[] body = MessageCodec.encode(message);
        if (FrameCodec.HEADER + body.length > maxFrameSize) {
            return MessageCodec.encode(new Failure(Failure.Kind.INTERNAL, "a reply of " + body.length
                    + " bytes is over the frame limit of " + maxFrameSize + " bytes"));
        }
        return body;
    }

    private static Failure failure(Throwable error) {
        Throwable cause = Futures.cause(error);
        log.debug("Internode request failed", cause);
        return new Failure(Failure.Kind.INTERNAL, cause.getMessage() != null ? cause.getMessage() : cause.toString());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("Closing internode connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
