package dev.dynamo.client;

import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection to a node, shared by every request to it and multiplexed by request id
 * ({@link ClientProtocol}). A request waits in {@code pending} until its reply, its timeout or the end
 * of the connection; each of those removes it, so exactly one completes it. Requests made before the
 * node's welcome are written once it comes; if the connection ends first they fail as
 * {@link NotSentException}, since the node never saw them.
 */
final class NodeConnection extends ChannelInboundHandlerAdapter {

    private enum State { AWAITING_CHALLENGE, AWAITING_WELCOME, OPEN }

    private final String address;
    private final Duration requestTimeout;
    private final byte[] hello;
    private final Map<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private State state = State.AWAITING_CHALLENGE; // event loop only
    private volatile Channel channel;
    private volatile DynamoException ended;

    /** A connection presenting {@code credentials} in its hello, or none when null. */
    NodeConnection(String address, Duration requestTimeout, Credentials credentials) {
        this.address = address;
        this.requestTimeout = requestTimeout;
        this.hello = credentials == null ? ClientProtocol.HELLO : ClientProtocol.hello(credentials);
    }

    /** Follows the connection attempt; one that never opens ends here. */
    void attach(ChannelFuture connecting) {
        channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                end(new NotSentException("cannot connect to " + address + ": " + f.cause().getMessage(), f.cause()));
            }
        });
    }

    boolean isOver() {
        return ended != null;
    }

    CompletableFuture<Message> send(Message request) {
        byte[] body = MessageCodec.encode(request);
        long id = ids.incrementAndGet();
        CompletableFuture<Message> reply = new CompletableFuture<>();
        pending.put(id, reply);
        DynamoException over = ended;
        if (over != null) { // ended before we were added: the sweep may have missed us
            fail(id, over);
            return reply;
        }
        // on the event loop, as the welcome and the writes it releases are: a request still unwritten stays so
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> fail(id, welcomed.isDone()
                ? new DynamoUnavailableException(address + " did not answer within " + requestTimeout, null)
                : new NotSentException(address + " did not open the connection within " + requestTimeout, null)),
                requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        reply.whenComplete((r, e) -> timeout.cancel(false));
        welcomed.thenRun(() -> write(id, body));
        return reply;
    }

    private void write(long id, byte[] body) {
        if (!pending.containsKey(id)) {
            return; // timed out before the welcome
        }
        ByteBuf header = Unpooled.buffer(ClientProtocol.FRAME_HEADER).writeLong(id).writeByte(ClientProtocol.REQUEST);
        channel.writeAndFlush(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(body))).addListener(f -> {
            if (!f.isSuccess()) {
                fail(id, new NotSentException("could not send to " + address, f.cause()));
            }
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(hello));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            switch (state) {
                case AWAITING_CHALLENGE -> state = State.AWAITING_WELCOME; // the peers' challenge: not for us
                case AWAITING_WELCOME -> welcome(ctx, ByteBufUtil.getBytes(frame));
                case OPEN -> reply(frame);
            }
        } finally {
            frame.release();
        }
    }

    private void welcome(ChannelHandlerContext ctx, byte[] answer) {
        if (!Arrays.equals(answer, ClientProtocol.WELCOME)) {
            end(ClientProtocol.refusalReason(answer).<DynamoException>map(reason -> new AuthenticationFailedException(
                            address + " refused the connection: " + reason))
                    .orElseGet(() -> new NotSentException(address + " does not speak the client protocol", null)));
            ctx.close();
            return;
        }
        state = State.OPEN;
        welcomed.complete(null);
    }

    private void reply(ByteBuf frame) {
        if (frame.readableBytes() < ClientProtocol.FRAME_HEADER) {
            throw new IllegalStateException("a frame of " + frame.readableBytes() + " bytes is shorter than its header");
        }
        long id = frame.readLong();
        if (frame.readByte() != ClientProtocol.REPLY) {
            throw new IllegalStateException("the node sent a request");
        }
        CompletableFuture<Message> reply = pending.remove(id);
        if (reply != null) { // absent when the request timed out first
            reply.complete(MessageCodec.decode(ByteBufUtil.getBytes(frame)));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(new DynamoUnavailableException("connection to " + address + " failed: " + cause.getMessage(), cause));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end(new DynamoUnavailableException("connection to " + address + " closed", null));
        ctx.fireChannelInactive();
    }

    /** Closes the connection; waiting requests fail. Completes once the channel is closed. */
    ChannelFuture close() {
        end(new DynamoUnavailableException("the client is closed", null));
        return channel.close();
    }

    /**
     * Fails every waiting request: as not sent while none was written yet (unless the node refused our
     * credentials, which trying another node cannot mend), the first reason winning.
     */
    private synchronized void end(DynamoException cause) {
        if (ended == null) {
            boolean asIs = welcomed.isDone() || cause instanceof NotSentException
                    || cause instanceof AuthenticationFailedException;
            ended = asIs ? cause : new NotSentException(cause.getMessage(), cause);
        }
        welcomed.completeExceptionally(ended);
        pending.keySet().forEach(id -> fail(id, ended));
    }

    private void fail(long id, DynamoException cause) {
        CompletableFuture<Message> reply = pending.remove(id);
        if (reply != null) {
            reply.completeExceptionally(cause);
        }
    }
}
