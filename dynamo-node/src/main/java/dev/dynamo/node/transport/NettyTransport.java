package dev.dynamo.node.transport;

import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.FrameHeader;
import dev.dynamo.core.wire.Message;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internode transport over TCP. Each peer address gets one persistent connection that all
 * requests to it share, multiplexed by request id ({@link FrameCodec}); both ends authenticate each
 * other with the cluster secret before anything else crosses ({@link ClusterKey}), over TLS when {@link
 * TransportTls} says so. One event loop group does all network work, serving and sending alike.
 *
 * <p>Applications' clients connect to the same port without the secret ({@link
 * dev.dynamo.core.wire.ClientProtocol}): their connections are served by the handler given to
 * {@link #serveClients}, never by the peers' one.
 */
public final class NettyTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
    private static final long SHUTDOWN_SECONDS = 5;
    /** Clients' requests carry no send time; their own timeouts are theirs to keep. */
    private static final Duration NO_AGE_LIMIT = Duration.ofMillis(Long.MAX_VALUE);
    /** Peers hold the cluster secret: their connections are bound by request counts and frame sizes only. */
    private static final InFlightBytes UNLIMITED = new InFlightBytes(Long.MAX_VALUE);

    private final TransportProperties properties;
    private final ClientLimits clientLimits;
    private final InFlightBytes clientBytes;
    private final ClientConnections clientConnections;
    private final ClusterKey key;
    private final TransportTls tls;
    private final int maxFrameSize;
    private final EventLoopGroup group;
    private final Bootstrap client;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private Channel server; // guarded by this
    private volatile boolean closed;
    /** Serves client connections; null while the node serves no clients. */
    private volatile ClientHandler clients;
    /** Client requests being served, which a stop lets finish. */
    private final ActiveCount clientRequests = new ActiveCount();
    private volatile ClientGate clientGate = ClientGate.OPEN;

    /** A transport whose connections are all clear. */
    public NettyTransport(TransportProperties properties, ClientLimits clientLimits, byte[] peerKey) {
        this(properties, clientLimits, peerKey, TransportTls.OFF);
    }

    /**
     * A transport that can send at once and serves once {@link #start started}; peers must share
     * {@code peerKey} (the cluster secret's peer key) to talk to it; client connections are held to
     * {@code clientLimits}; connections are secured by {@code tls}.
     */
    public NettyTransport(TransportProperties properties, ClientLimits clientLimits, byte[] peerKey, TransportTls tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.clientLimits = Objects.requireNonNull(clientLimits, "clientLimits");
        this.clientBytes = new InFlightBytes(clientLimits.maxNodeInFlightBytes().toBytes());
        this.clientConnections = new ClientConnections(clientLimits.maxConnections(),
                clientLimits.maxConnectionsPerAddress());
        this.key = new ClusterKey(Objects.requireNonNull(peerKey, "peerKey"));
        this.maxFrameSize = Math.toIntExact(properties.maxFrameSize().toBytes());
        int threads = properties.ioThreads() > 0 ? properties.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory("dynamo-transport", true), NioIoHandler.newFactory());
        this.client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, properties.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    /**
     * Listens on {@code host:port} and serves peers' requests with {@code handler}.
     *
     * @throws TransportException when the address cannot be bound
     */
    public synchronized void start(MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (closed || server != null) {
            throw new IllegalStateException(closed ? "the transport is closed" : "the transport is already started");
        }
        ServerSession.Limits peerSessionLimits = new ServerSession.Limits(properties.maxPendingRequests(),
                Long.MAX_VALUE, UNLIMITED, properties.requestTimeout());
        ServerSession.Limits clientSessionLimits = new ServerSession.Limits(clientLimits.maxPendingRequests(),
                clientLimits.maxInFlightBytes().toBytes(), clientBytes, NO_AGE_LIMIT);
        ChannelFuture binding = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        accepted.incrementAndGet();
                        tls.secureAccepted(channel, properties.connectTimeout());
                        FrameCodec.addFraming(channel.pipeline(), maxFrameSize);
                        channel.pipeline().addLast(new ServerHandshake(key, properties.connectTimeout(),
                                        hello -> clientGate.refusal(hello), clientConnections,
                                        clientLimits.idleTimeout(), () -> new ServerSession<>(Protocol.CLIENTS,
                                                NettyTransport.this::serveClient, clientSessionLimits, maxFrameSize)),
                                new ServerSession<>(Protocol.PEERS, handler::handle, peerSessionLimits, maxFrameSize));
                    }
                })
                .bind(properties.host(), properties.port());
        if (!binding.awaitUninterruptibly(properties.connectTimeout().toMillis()) || !binding.isSuccess()) {
            binding.channel().close();
            throw new TransportException("cannot listen on " + properties.host() + ":" + properties.port(),
                    binding.cause());
        }
        server = binding.channel();
        log.info("Internode transport listening on {} (TLS {})", localAddress(), tls.mode());
    }

    /** Serves client connections with {@code handler} from now on; null makes them answer {@code NotServed}. */
    public void serveClients(ClientHandler handler) {
        clients = handler;
    }

    /**
     * Stops serving clients, as a stopping node does before it closes, cutting off no request a client sent:
     * it accepts no more connections (peers' neither; one that cannot open was certainly sent nothing, so
     * its party goes elsewhere) and answers new requests on open ones "not served"; then it lets the requests
     * being served finish, up to the request lifetime, and gives clients up to {@code leaving} to close their
     * connections, which the starter's client does once answered "not served" with nothing outstanding.
     */
    public void stopServingClients(Duration leaving) throws InterruptedException {
        synchronized (this) {
            if (server != null) {
                server.close().awaitUninterruptibly(properties.connectTimeout().toMillis());
            }
        }
        clients = null;
        if (!clientRequests.awaitZero(requestLifetime())) {
            log.warn("Stopping with client requests still unanswered after {}", requestLifetime());
        } else if (!clientConnections.awaitNone(leaving)) {
            log.info("Stopping with client connections open that sent nothing for {}", leaving);
        }
    }

    /**
     * Admits a client connection only when {@code gate} accepts its hello; until called, every hello is
     * admitted, so a node guarding its clients calls this before {@link #start}.
     */
    public void admitClients(ClientGate gate) {
        clientGate = Objects.requireNonNull(gate, "gate");
    }

    private CompletableFuture<ClientMessage> serveClient(ClientMessage request) {
        clientRequests.increment(); // before reading the handler: a stop that saw it null waits for this one
        ClientHandler handler = clients;
        CompletableFuture<ClientMessage> reply;
        try {
            reply = handler != null ? handler.handle(request) : CompletableFuture.completedFuture(
                    new ClientMessage.NotServed("this node serves no clients now"));
        } catch (RuntimeException e) {
            clientRequests.decrement();
            throw e;
        }
        return reply.whenComplete((message, error) -> clientRequests.decrement());
    }

    @Override
    public CompletableFuture<Message> request(String address, Message request, IntConsumer sizes) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException("the transport is closed"));
        }
        Peer peer;
        try {
            peer = peers.computeIfAbsent(address, a ->
                    new Peer(a, properties.maxPendingRequests(), this::connect));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        }
        return peer.request(request, sizes);
    }

    private PeerConnection connect(Peer peer) {
        PeerConnection connection = new PeerConnection(peer, properties.requestTimeout(), maxFrameSize);
        ChannelFuture connecting = client.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                tls.secureDialled(channel, peer.remote(), properties.connectTimeout());
                FrameCodec.addFraming(channel.pipeline(), maxFrameSize);
                channel.pipeline().addLast(new ClientHandshake(key, properties.connectTimeout(), connection,
                                () -> tls.answeredInClear(peer.remote())),
                        connection);
            }
        }).connect(peer.remote());
        connection.attach(connecting);
        return connection;
    }

    /** A peer's request is served up to the request timeout after it was sent, as read by {@link RequestAge}, which may fall short by up to the connect timeout. */
    @Override
    public Duration requestLifetime() {
        return properties.requestTimeout().plus(properties.connectTimeout());
    }

    @Override
    public int maxMessageSize() {
        return maxFrameSize - FrameHeader.SIZE - FrameCodec.SENT_AT;
    }

    @Override
    public synchronized String localAddress() {
        int port = server != null ? ((InetSocketAddress) server.localAddress()).getPort() : properties.port();
        return properties.host() + ":" + port;
    }

    /** How many connections peers have opened to this node; lets tests see that requests share one. */
    long connectionsAccepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                server.close();
            }
        }
        TransportException closing = new TransportException("the transport is closed");
        peers.values().forEach(peer -> peer.close(closing));
        group.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(SHUTDOWN_SECONDS * 2, TimeUnit.SECONDS);
    }
}
