package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * What the sending side knows of one peer address: its current connection, how many requests wait
 * on it, and whether it is backing off. A request to a peer without a connection opens one. When
 * opening fails (no answer, or the handshake fails), requests fail fast for a while, doubling from
 * 100 ms up to 2 s and reset by a successful handshake, so a dead peer is not hammered and callers
 * learn at once.
 */
final class Peer {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration LAST_BACKOFF = Duration.ofSeconds(2);

    private final String address;
    private final InetSocketAddress remote;
    private final int maxPending;
    private final Function<Peer, PeerConnection> connector;
    private final AtomicInteger waiting = new AtomicInteger();

    // guarded by this
    private PeerConnection connection;
    /** Why requests fail fast: set while backing off, and for good once the transport closes. */
    private TransportException refusal;
    private Duration backoff = FIRST_BACKOFF;
    private boolean closed;

    /** @throws IllegalArgumentException when {@code address} is not {@code host:port} */
    Peer(String address, int maxPending, Function<Peer, PeerConnection> connector) {
        this.address = address;
        this.remote = parse(address);
        this.maxPending = maxPending;
        this.connector = connector;
    }

    private static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer address must be host:port, got '" + address + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    String address() {
        return address;
    }

    InetSocketAddress remote() {
        return remote;
    }

    CompletableFuture<Message> request(Message request, IntConsumer sizes) {
        if (waiting.incrementAndGet() > maxPending) {
            waiting.decrementAndGet();
            return CompletableFuture.failedFuture(new RequestNotSentException("too many requests waiting for " + address, null));
        }
        CompletableFuture<Message> reply;
        try {
            reply = connection().send(request, sizes);
        } catch (TransportException e) {
            reply = CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(
                    new TransportException("cannot send to " + address + ": " + e.getMessage(), e));
        }
        reply.whenComplete((r, e) -> waiting.decrementAndGet());
        return reply;
    }

    private synchronized PeerConnection connection() {
        if (refusal != null) {
            throw refusal;
        }
        if (connection == null || connection.isOver()) { // over already if connecting failed at once
            connection = connector.apply(this);
        }
        return connection;
    }

    /** A connection passed the handshake: the peer is reachable again. */
    synchronized void connected() {
        backoff = FIRST_BACKOFF;
    }

    /**
     * A connection ended; if it never got through the handshake, back off before the next attempt. The
     * backoff ends on the connection's event loop, so callbacks of its failed requests still see it.
     */
    synchronized void closed(PeerConnection ended, boolean wasAuthenticated, TransportException cause,
            EventExecutor loop) {
        if (connection == ended) {
            connection = null;
        }
        if (wasAuthenticated || closed) {
            return;
        }
        refusal = new RequestNotSentException(
                cause.getMessage() + "; not trying again for " + backoff.toMillis() + " ms", cause);
        loop.schedule(this::retry, backoff.toNanos(), TimeUnit.NANOSECONDS);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(LAST_BACKOFF) < 0 ? doubled : LAST_BACKOFF;
    }

    private synchronized void retry() {
        if (!closed) {
            refusal = null;
        }
    }

    /** Fails every request to this peer, now and later, with {@code cause}. */
    void close(TransportException cause) {
        PeerConnection last;
        synchronized (this) {
            closed = true;
            refusal = cause;
            last = connection;
        }
        if (last != null) {
            last.close(cause);
        }
    }
}
