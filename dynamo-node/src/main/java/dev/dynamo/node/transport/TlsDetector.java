package dev.dynamo.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells an accepted TLS connection from a clear one, in transitional mode ({@link TlsMode#TRANSITIONAL}),
 * then steps aside. A TLS party speaks first, its ClientHello a record starting with byte 0x16
 * ({@link SslHandler#isEncrypted}); a clear client's hello starts with a length prefix. A clear peer
 * speaks only after our challenge, so a connection still silent after {@code window} is taken as clear.
 * Netty's {@code OptionalSslHandler} decides on bytes alone and would wait for that peer forever.
 *
 * <p>The handlers after this one see the connection become active only once it has decided (then
 * through the {@link SslHandler} if TLS), so the handshake's challenge goes out in the right form.
 */
final class TlsDetector extends ByteToMessageDecoder {

    /** What {@link SslHandler#isEncrypted} needs to read: a TLS record header. */
    private static final int RECORD_HEADER = 5;

    private final Supplier<SslHandler> tls;
    private final Duration window;
    private ScheduledFuture<?> silence;

    TlsDetector(Supplier<SslHandler> tls, Duration window) {
        this.tls = tls;
        this.window = window;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // not passed on yet: the handshake would send its challenge in clear
        silence = ctx.executor().schedule(() -> {
            if (!ctx.isRemoved()) {
                decide(ctx, false);
            }
        }, window.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() >= RECORD_HEADER) {
            silence.cancel(false);
            decide(ctx, SslHandler.isEncrypted(in, false));
        }
    }

    /** Removing this handler passes on what it has read, to the SslHandler when there is one. */
    private void decide(ChannelHandlerContext ctx, boolean encrypted) {
        if (encrypted) {
            ctx.pipeline().addAfter(ctx.name(), "tls", tls.get());
        }
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (silence != null) {
            silence.cancel(false);
        }
    }
}
