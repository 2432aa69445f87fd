package dev.dynamo.client;

import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessageCodec;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.FrameHeader;
import dev.dynamo.core.wire.PendingRequests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * One connection to a node, shared by every request to it and multiplexed by request id
 * ({@link ClientProtocol}, {@link PendingRequests}). Requests made before the node's welcome are written
 * once it comes; if the connection ends first they fail as {@link NotSentException}, since the node
 * never saw them.
 */
final class NodeConnection extends ChannelInboundHandlerAdapter {

    private enum State { AWAITING_CHALLENGE, AWAITING_WELCOME, OPEN }

    private final String address;
    private final Duration requestTimeout;
    private final byte[] hello;
    private final PendingRequests<ClientMessage.Reply> pending = new PendingRequests<>();
    private State state = State.AWAITING_CHALLENGE; // event loop only
    private volatile Channel channel;
    /** The node answered "not served": it is stopping or starting; new requests go on a new connection. */
    private volatile boolean retiring;

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

    /** Whether new requests must take another connection: this one ended, or is retiring. */
    boolean isOver() {
        return retiring || pending.isOver();
    }

    CompletableFuture<ClientMessage.Reply> send(ClientMessage.Request request) {
        byte[] body = ClientMessageCodec.encode(request);
        // timed out on the event loop, as the welcome and the writes it releases are: a request still unwritten stays so
        return pending.send(id -> write(id, body), channel.eventLoop(), requestTimeout, () -> pending.hasOpened()
                ? new DynamoUnavailableException(address + " did not answer within " + requestTimeout, null)
                : new NotSentException(address + " did not open the connection within " + requestTimeout, null));
    }

    private void write(long id, byte[] body) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(FrameHeader.of(id, false), body)).addListener(f -> {
            if (!f.isSuccess()) {
                pending.fail(id, new NotSentException("could not send to " + address, f.cause()));
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
        pending.open();
    }

    private void reply(ByteBuf frame) {
        if (frame.readableBytes() < FrameHeader.SIZE) {
            throw new IllegalStateException("a frame of " + frame.readableBytes() + " bytes is shorter than its header");
        }
        long id = frame.readLong();
        if (frame.readByte() != FrameHeader.REPLY) {
            throw new IllegalStateException("the node sent a request");
        }
        ClientMessage.Reply reply = ClientMessageCodec.decodeReply(ByteBufUtil.getBytes(frame));
        retiring |= reply instanceof ClientMessage.NotServed;
        pending.complete(id, reply); // false when the request timed out first
        if (retiring && pending.isIdle()) {
            // a stopping node waits for its clients to leave: leave once nothing is outstanding, which no
            // request can still be (a request registered meanwhile has its write queued behind this task)
            end(new NotSentException(address + " serves no clients now", null));
            channel.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(new DynamoUnavailableException(tlsFailure(cause)
                .map(tls -> "TLS with " + address + " failed: " + tls.getMessage() + " (does the client's trust bundle hold"
                        + " the CA of the node's certificate, and does the certificate name the address dialled?)")
                .orElse("connection to " + address + " failed: " + cause.getMessage()), cause));
        ctx.close();
    }

    /** The TLS failure behind {@code cause}, if that is what it is: the message operators need is its own. */
    private static Optional<SSLException> tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException tls) {
                return Optional.of(tls);
            }
        }
        return Optional.empty();
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
    private void end(DynamoException cause) {
        boolean asIs = pending.hasOpened() || cause instanceof NotSentException
                || cause instanceof AuthenticationFailedException;
        pending.end(asIs ? cause : new NotSentException(cause.getMessage(), cause));
    }
}
