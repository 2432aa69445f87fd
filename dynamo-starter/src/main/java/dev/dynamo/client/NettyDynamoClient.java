package dev.dynamo.client;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.client.WriteResult;
import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.key.KeyNames;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.ClientMessage.ClientConditionFailed;
import dev.dynamo.core.wire.ClientMessage.ClientConditionalPut;
import dev.dynamo.core.wire.ClientMessage.ClientDelete;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;
import dev.dynamo.core.wire.ClientMessage.ClientGet;
import dev.dynamo.core.wire.ClientMessage.ClientKeyPage;
import dev.dynamo.core.wire.ClientMessage.ClientListKeys;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.ClientRead;
import dev.dynamo.core.wire.ClientMessage.ClientWritten;
import dev.dynamo.core.wire.ClientMessage.NotServed;
import dev.dynamo.core.wire.ClientMessage.Reply;
import dev.dynamo.core.wire.ClientMessage.Request;
import dev.dynamo.core.wire.ClientMessage.RingFetch;
import dev.dynamo.core.wire.ClientMessage.RingState;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DynamoClient} on the nodes' binary transport port ({@link dev.dynamo.core.wire.ClientProtocol}),
 * one multiplexed connection per node. It learns the ring from the seeds, then from any member, fetches it
 * again on a schedule and as soon as a reply comes from a node with a newer ring, and sends each request
 * straight to a node of its key's preference list ({@link RingRoutes}), spreading requests over the key's
 * replicas, any of which coordinates a read or a write; a key listing, which has no key, goes to any node.
 * A request that cannot reach a node goes to the next; a read (idempotent) also moves on when a node does
 * not answer in time, and one that no node could serve is retried with a doubling backoff. A write moves on
 * only when it certainly was not delivered, so no write is applied twice by the client's doing.
 */
public final class NettyDynamoClient implements DynamoClient {

    private static final Logger log = LoggerFactory.getLogger(NettyDynamoClient.class);
    private static final int LENGTH = Integer.BYTES;
    private static final long CLOSE_SECONDS = 2;

    private final ClientSettings settings;
    private final ObservationRegistry observations;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Map<String, NodeConnection> connections = new ConcurrentHashMap<>();
    /** The ring as last fetched; null until the first fetch succeeds. */
    private final AtomicReference<RingRoutes> routes = new AtomicReference<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicInteger turns = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong ringFetches = new AtomicLong();
    private final ScheduledFuture<?> refresher;
    private volatile boolean closed;

    /** A client that starts learning the ring at once; requests made meanwhile go to the seeds. */
    public NettyDynamoClient(ClientSettings settings) {
        this(settings, ObservationRegistry.NOOP);
    }

    /** As {@link #NettyDynamoClient(ClientSettings)}, each call observed in {@code observations} ({@link ClientObservations}). */
    public NettyDynamoClient(ClientSettings settings, ObservationRegistry observations) {
        this.settings = settings;
        this.observations = observations;
        this.group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("dynamo-client", true),
                NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
        long every = settings.ringRefreshInterval().toNanos();
        this.refresher = group.scheduleWithFixedDelay(this::refreshRing, 0, every, TimeUnit.NANOSECONDS);
    }

    @Override
    public CompletableFuture<ReadResult> getAsync(String bucket, byte[] key, int r) {
        ClientGet get = new ClientGet(validKey(bucket, key), orDefault(r, settings.r()));
        return call(bucket, key, true, get, ClientRead.class)
                .thenApply(ClientRead::result);
    }

    @Override
    public CompletableFuture<WriteResult> putAsync(String bucket, byte[] key, Value value, CausalContext context,
            int w, Duration ttl) {
        return write(bucket, key, value, new ClientPut(validKey(bucket, key), context, value, orDefault(w, settings.w()),
                ttlMillis(ttl)));
    }

    @Override
    public CompletableFuture<WriteResult> putIfAbsentAsync(String bucket, byte[] key, Value value, int w,
            Duration ttl) {
        return write(bucket, key, value, new ClientConditionalPut(validKey(bucket, key), WriteCondition.ABSENT,
                CausalContext.NONE, value, settings.r(), orDefault(w, settings.w()), ttlMillis(ttl)));
    }

    @Override
    public CompletableFuture<WriteResult> replaceAsync(String bucket, byte[] key, CausalContext context, Value value,
            int w, Duration ttl) {
        if (context.isNone()) {
            return CompletableFuture.failedFuture(new InvalidRequestException(
                    "replace needs the context of a read or write of the key; to create it, use putIfAbsent"));
        }
        return write(bucket, key, value, new ClientConditionalPut(validKey(bucket, key), WriteCondition.MATCHES,
                context, value, settings.r(), orDefault(w, settings.w()), ttlMillis(ttl)));
    }

    /** A TTL as the protocol carries it: 0 for none (the bucket's); refused here when it is not positive. */
    private static long ttlMillis(Duration ttl) {
        if (ttl == null) {
            return 0;
        }
        if (!ttl.isPositive()) {
            throw new InvalidRequestException("a TTL must be positive, got " + ttl);
        }
        return Math.max(1, ttl.toMillis());
    }

    /** Sends a write of {@code value}, refusing one larger than the cluster takes before it costs a request. */
    private CompletableFuture<WriteResult> write(String bucket, byte[] key, Value value, Request write) {
        RingRoutes known = routes.get();
        if (known != null && value.bytes().length > known.state().maxValueSize()) {
            return CompletableFuture.failedFuture(new ValueTooLargeException("the value is " + value.bytes().length
                    + " bytes, over the cluster's limit of " + known.state().maxValueSize() + " bytes"));
        }
        return call(bucket, key, false, write, ClientWritten.class)
                .thenApply(NettyDynamoClient::written);
    }

    @Override
    public CompletableFuture<WriteResult> deleteAsync(String bucket, byte[] key, CausalContext context, int w) {
        ClientDelete delete = new ClientDelete(validKey(bucket, key), context, orDefault(w, settings.w()));
        return call(bucket, key, false, delete, ClientWritten.class)
                .thenApply(NettyDynamoClient::written);
    }

    @Override
    public CompletableFuture<KeyPage> listKeysAsync(String bucket, byte[] after, int limit) {
        if (limit < 1 || limit > KEYS_PAGE) {
            throw new InvalidRequestException("a page holds 1 to " + KEYS_PAGE + " keys, asked for " + limit);
        }
        ClientListKeys list = valid(() -> new ClientListKeys(KeyNames.requireValidBucket(bucket),
                after == null ? null : KeyNames.requireValidKey(after), limit));
        // a read: any node answers it, and one that cannot is passed over as for a get
        return call(bucket, null, true, list, ClientKeyPage.class)
                .thenApply(page -> new KeyPage(page.keys(), page.next()));
    }

    @Override
    public CompletableFuture<Ring> fetchRing() {
        List<String> nodes = Stream.concat(anyNodes().stream(), settings.seeds().get().stream()).distinct().toList();
        return inTurn(nodes, 0, new RingFetch(), true).thenApply(reply -> {
            RingState state = expect(reply, RingState.class);
            routes.accumulateAndGet(new RingRoutes(state),
                    (old, fresh) -> old == null || fresh.version() > old.version() ? fresh : old);
            return state.ring();
        });
    }

    /** The version of the ring the client routes by; 0 while it knows none. */
    public long ringVersion() {
        RingRoutes known = routes.get();
        return known == null ? 0 : known.version();
    }

    private static ClientKey validKey(String bucket, byte[] key) {
        return valid(() -> new ClientKey(KeyNames.requireValidBucket(bucket), KeyNames.requireValidKey(key)));
    }

    /** What {@code check} makes of a caller's arguments; what it refuses is an {@link InvalidRequestException}. */
    private static <T> T valid(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** A call's own quorum, or when it asks for none, the configured default (itself perhaps 0: the bucket's). */
    private static int orDefault(int quorum, int configured) {
        return quorum == BUCKET_QUORUM ? configured : quorum;
    }

    private static WriteResult written(ClientWritten reply) {
        return new WriteResult(reply.context(), reply.siblings());
    }

    /**
     * Sends a request along its key's route ({@code key} null: a key listing, to any node); one no node received
     * (during a rolling restart, say), or a read none could serve, is retried after a backoff.
     */
    private <T extends Reply> CompletableFuture<T> call(String bucket, byte[] key, boolean read, Request request,
            Class<T> type) {
        Observation observation = ClientObservations.start(observations, request, bucket);
        inFlight.incrementAndGet();
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(bucket, key, read, request, type, 0, result);
        return result.whenComplete((reply, error) -> {
            inFlight.decrementAndGet();
            ClientObservations.stop(observation, unwrap(error));
        });
    }

    private <T extends Reply> void attempt(String bucket, byte[] key, boolean read, Request request, Class<T> type,
            int attempt, CompletableFuture<T> result) {
        inTurn(route(bucket, key), 0, request, read).thenApply(reply -> expect(reply, type))
                .whenComplete((reply, error) -> {
                    Throwable cause = unwrap(error);
                    if (cause == null) {
                        result.complete(reply);
                    } else if (attempt < settings.retries() && !closed && (cause instanceof NotSentException
                            || read && (cause instanceof DynamoUnavailableException
                                    || cause instanceof QuorumNotReachedException))) {
                        retries.incrementAndGet();
                        long backoff = settings.retryBackoff().toNanos() << attempt;
                        group.schedule(() -> attempt(bucket, key, read, request, type, attempt + 1, result),
                                backoff, TimeUnit.NANOSECONDS);
                    } else {
                        result.completeExceptionally(cause);
                    }
                });
    }

    /** The nodes to try for a key, in order; for no key (a key listing), every node, starting at the next in turn. */
    private List<String> route(String bucket, byte[] key) {
        RingRoutes known = routes.get();
        int turn = turns.getAndIncrement();
        if (known != null && settings.routing() && key != null) {
            return known.forKey(bucket, key, turn);
        }
        List<String> any = anyNodes();
        return RingRoutes.rotated(any, any.size(), turn);
    }

    /** The ring's members when one is known, else the seeds. */
    private List<String> anyNodes() {
        RingRoutes known = routes.get();
        return known != null ? known.members() : settings.seeds().get();
    }

    /**
     * Sends to {@code nodes[i]}, moving on to the next when the request did not reach it, when it was not
     * ready to serve, or (if {@code idempotent}) when it did not answer in time or was unavailable.
     */
    private CompletableFuture<Reply> inTurn(List<String> nodes, int i, Request request, boolean idempotent) {
        if (nodes.isEmpty()) {
            return CompletableFuture.failedFuture(new DynamoUnavailableException("no node to ask: no seeds", null));
        }
        return send(nodes.get(i), request).handle((reply, error) -> {
            Throwable cause = unwrap(error);
            boolean notServed = cause instanceof NotSentException
                    || idempotent && cause instanceof DynamoUnavailableException
                    || reply instanceof NotServed
                    || idempotent && reply instanceof ClientFailure failure
                            && failure.kind() == FailureKind.UNAVAILABLE;
            if (notServed && i + 1 < nodes.size() && !closed) {
                return inTurn(nodes, i + 1, request, idempotent);
            }
            return cause != null ? CompletableFuture.<Reply>failedFuture(cause) : CompletableFuture.completedFuture(reply);
        }).thenCompose(Function.identity());
    }

    private CompletableFuture<Reply> send(String address, Request request) {
        if (closed) {
            return CompletableFuture.failedFuture(new DynamoUnavailableException("the client is closed", null));
        }
        NodeConnection connection;
        try {
            connection = connections.compute(address, (a, old) -> old != null && !old.isOver() ? old : connect(a));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new NotSentException(e.getMessage(), e));
        }
        return connection.send(request).thenApply(this::noticeRing);
    }

    private NodeConnection connect(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("a node address must be host:port, got '" + address + "'");
        }
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        NodeConnection connection = new NodeConnection(address, settings.requestTimeout(), settings.credentials());
        connection.attach(bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                if (settings.tls() != null) {
                    SslHandler tls = settings.tls().newHandler(channel.alloc(), host, port);
                    tls.setHandshakeTimeoutMillis(settings.connectTimeout().toMillis());
                    channel.pipeline().addLast(tls);
                }
                // requests written by many threads between two passes of the event loop leave in one system call
                channel.pipeline().addLast(
                        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                        new LengthFieldBasedFrameDecoder(settings.maxFrameSize(), 0, LENGTH, 0, LENGTH),
                        new LengthFieldPrepender(LENGTH), connection);
            }
        }).connect(host, port));
        return connection;
    }

    /** A reply from a node with a newer ring than ours fetches it. */
    private Reply noticeRing(Reply reply) {
        long version = switch (reply) {
            case ClientRead read -> read.ringVersion();
            case ClientWritten written -> written.ringVersion();
            case ClientFailure failure -> failure.ringVersion();
            case ClientConditionFailed failed -> failed.ringVersion();
            case ClientKeyPage page -> page.ringVersion();
            case RingState state -> 0; // the fetch itself, which keeps the newer of two rings
            case NotServed notServed -> 0;
        };
        if (version > ringVersion()) {
            group.execute(this::refreshRing);
        }
        return reply;
    }

    /**
     * How the client is doing, for its meters: nodes it holds an open connection to (one multiplexed connection
     * each), calls waiting for their answer, retries so far, and rings fetched on its schedule or on news of a
     * newer one.
     */
    public record Stats(int connectedNodes, int inFlight, long retries, long ringRefreshes) {
    }

    /** See {@link Stats}. */
    public Stats stats() {
        int connected = (int) connections.values().stream().filter(connection -> !connection.isOver()).count();
        return new Stats(connected, inFlight.get(), retries.get(), ringFetches.get());
    }

    /** Fetches the ring unless a fetch is under way. */
    private void refreshRing() {
        if (closed || !refreshing.compareAndSet(false, true)) {
            return;
        }
        fetchRing().whenComplete((ring, error) -> {
            refreshing.set(false);
            if (error == null) {
                ringFetches.incrementAndGet();
            } else {
                log.debug("Could not fetch the ring: {}", unwrap(error).getMessage());
            }
        });
    }

    private static <T extends Reply> T expect(Reply reply, Class<T> type) {
        return switch (reply) {
            case ClientFailure failure -> throw DynamoException.of(failure);
            case ClientConditionFailed failed -> throw new ConditionFailedException(failed.reason(), failed.current());
            case NotServed notServed -> throw new NotSentException(notServed.reason(), null); // not acted on
            case ClientRead read -> answer(read, type);
            case ClientWritten written -> answer(written, type);
            case ClientKeyPage page -> answer(page, type);
            case RingState state -> answer(state, type);
        };
    }

    private static <T extends Reply> T answer(Reply reply, Class<T> type) {
        if (!type.isInstance(reply)) {
            throw new DynamoException(FailureKind.INTERNAL,
                    "the node answered " + reply.getClass().getSimpleName() + " to a client request", null);
        }
        return type.cast(reply);
    }

    private static Throwable unwrap(Throwable error) {
        return Futures.cause(error);
    }

    @Override
    public void close() {
        closed = true;
        refresher.cancel(false);
        // closed before the event loops stop, so that every listener of a connection still runs
        connections.values().stream().map(NodeConnection::close).toList()
                .forEach(closing -> closing.awaitUninterruptibly(CLOSE_SECONDS, TimeUnit.SECONDS));
        group.shutdownGracefully(0, CLOSE_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(2 * CLOSE_SECONDS, TimeUnit.SECONDS);
    }
}
