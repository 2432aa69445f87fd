package dev.dynamo.node.transport;

import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.node.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepting side of the handshake ({@link ClusterKey}): challenges the peer as the connection
 * opens, checks its proof, answers the peer's challenge, and only then lets frames through to the
 * {@link ServerSession}. A wrong, malformed or late answer closes the connection, so nothing an
 * unauthenticated peer sends is ever served.
 *
 * <p>A client's {@link ClientProtocol#HELLO} in place of the proof makes the connection a client
 * session instead: the peers' {@link ServerSession} is swapped for one serving client requests only,
 * once the {@link ClientGate} admits the hello (its credentials, when the data API needs them) and the
 * node has room for one more client connection ({@link ClientConnections}); from then on its frames are
 * read as {@link ClientMessage} requests only, and it is closed when idle for the client idle timeout.
 */
final class ServerHandshake extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ServerHandshake.class);
    /** Anyone who reaches the port can be refused at will: a line per ten seconds at most. */
    private static final RateLimitedLog refusedPeers = new RateLimitedLog(log, Duration.ofSeconds(10));
    private static final RateLimitedLog refusedClients = new RateLimitedLog(log, Duration.ofSeconds(10));
    private static final RateLimitedLog refusedTls = new RateLimitedLog(log, Duration.ofSeconds(10));
    /**
     * Where credentials are checked: a password hash (bcrypt, say) takes milliseconds, which the event
     * loop that also carries peers' traffic must not spend. Bounded: past it, a hello is refused as busy.
     */
    private static final ExecutorService CREDENTIAL_CHECKS = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256), new DefaultThreadFactory("dynamo-credential-checks", true));

    private final ClusterKey key;
    private final Duration timeout;
    private final ClientGate clientGate;
    private final ClientConnections clientConnections;
    private final Duration clientIdleTimeout;
    private final Supplier<ServerSession<ClientMessage>> clientSession;
    private final byte[] nonce = ClusterKey.nonce();
    private ScheduledFuture<?> deadline;
    private boolean refused; // event loop only
    private boolean checking; // event loop only: a hello is being checked, nothing else may come yet

    ServerHandshake(ClusterKey key, Duration timeout, ClientGate clientGate, ClientConnections clientConnections,
            Duration clientIdleTimeout, Supplier<ServerSession<ClientMessage>> clientSession) {
        this.key = key;
        this.timeout = timeout;
        this.clientGate = clientGate;
        this.clientConnections = clientConnections;
        this.clientIdleTimeout = clientIdleTimeout;
        this.clientSession = clientSession;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> refuse(ctx, "did not authenticate within " + timeout),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(nonce));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf answer = (ByteBuf) msg;
        try {
            if (refused || !ctx.channel().isOpen()) {
                return; // refused already; the rest of this read is dropped
            }
            if (checking) {
                refuseClient(ctx, "sent a frame before the node answered its hello");
                return;
            }
            Optional<ClientProtocol.Hello> hello;
            try {
                hello = ClientProtocol.readHello(ByteBufUtil.getBytes(answer));
            } catch (IllegalArgumentException malformed) {
                refuseClient(ctx, malformed.getMessage());
                return;
            }
            if (hello.isPresent()) {
                check(ctx, hello.get());
                return;
            }
            if (answer.readableBytes() != ClusterKey.PROOF + ClusterKey.NONCE + FrameCodec.SENT_AT) {
                refuse(ctx, "sent a malformed handshake");
                return;
            }
            byte[] proof = new byte[ClusterKey.PROOF];
            byte[] peerNonce = new byte[ClusterKey.NONCE];
            answer.readBytes(proof).readBytes(peerNonce);
            RequestAge age = new RequestAge(answer.readLong());
            Optional<byte[]> binding = ChannelBinding.of(ctx.pipeline(), true);
            if (binding.isEmpty()) {
                refuse(ctx, "presented no certificate, which every node must over TLS");
                return;
            }
            if (!key.verify(ClusterKey.CLIENT, nonce, binding.get(), proof)) {
                refuse(ctx, "does not hold our cluster secret, or proved it on another channel");
                return;
            }
            deadline.cancel(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(key.proof(ClusterKey.SERVER, peerNonce, binding.get())));
            FrameCodec.authenticated(ctx, Protocol.PEERS, age);
        } finally {
            answer.release();
        }
    }

    /** Checks a client's hello by the gate (off the event loop unless the gate is open), then admits or refuses it. */
    private void check(ChannelHandlerContext ctx, ClientProtocol.Hello hello) {
        if (clientGate == ClientGate.OPEN) {
            admitOrRefuse(ctx, Optional.empty());
            return;
        }
        checking = true;
        try {
            CompletableFuture.supplyAsync(() -> clientGate.refusal(hello), CREDENTIAL_CHECKS).whenComplete(
                    (refusal, error) -> ctx.executor().execute(() -> {
                        checking = false;
                        admitOrRefuse(ctx, error == null ? refusal : Optional.of("the node could not check the credentials"));
                    }));
        } catch (RejectedExecutionException busy) {
            checking = false;
            refuseClient(ctx, "the node is busy checking other clients' credentials; try again");
        }
    }

    private void admitOrRefuse(ChannelHandlerContext ctx, Optional<String> refusal) {
        if (refused || !ctx.channel().isOpen()) {
            return;
        }
        if (refusal.isPresent()) {
            refuseClient(ctx, refusal.get());
            return;
        }
        Optional<String> full = clientConnections.admit(ctx.channel());
        if (full.isPresent()) {
            refuseClient(ctx, full.get());
            return;
        }
        deadline.cancel(false);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(ClientProtocol.WELCOME));
        ctx.pipeline().replace(ServerSession.class, "client-session", clientSession.get());
        ctx.pipeline().addBefore("client-session", "client-idle",
                new IdleStateHandler(0, 0, clientIdleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        FrameCodec.authenticated(ctx, Protocol.CLIENTS, null);
    }

    /** Tells the client why (its library surfaces the reason), then closes; what it sends meanwhile is dropped. */
    private void refuseClient(ChannelHandlerContext ctx, String reason) {
        refused = true;
        refusedClients.warn("Refused client connection from " + ctx.channel().remoteAddress() + ": " + reason);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(ClientProtocol.refusal(reason))).addListener(f -> ctx.close());
    }

    /** A failed TLS handshake closes the connection itself; we say why. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            refusedTls.warn("Refused connection from " + ctx.channel().remoteAddress() + ": the TLS handshake failed: "
                    + tls.cause());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private static void refuse(ChannelHandlerContext ctx, String reason) {
        refusedPeers.warn("Refused internode connection from " + ctx.channel().remoteAddress() + ": it " + reason);
        ctx.close();
    }
}
