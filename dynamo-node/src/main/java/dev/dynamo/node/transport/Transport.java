package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * Sends requests to other nodes and serves theirs. A node has one transport; the coordination code
 * only sees this interface, so the same code runs over Netty and inside the deterministic simulation.
 *
 * <p>Every request gets exactly one outcome: its future completes with the peer's reply, or fails with
 * a {@link TransportException} when the peer cannot be reached, refuses us, does not answer within
 * the transport's request timeout, or too many requests to it are already waiting. Futures may
 * complete on any thread; callers must not block in their callbacks.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends {@code request} to the node at {@code address} ({@code host:port}); {@code sizes} hears the
     * encoded size of the request once sent, then that of its reply, if any.
     */
    CompletableFuture<Message> request(String address, Message request, IntConsumer sizes);

    /** {@link #request(String, Message, IntConsumer)} when the sizes do not matter. */
    default CompletableFuture<Message> request(String address, Message request) {
        return request(address, request, size -> { });
    }

    /**
     * The longest after it was sent that a request may still be acted on: a receiver refuses older ones,
     * however late the network delivers them. Work that must outlast every request in flight (reaping a
     * tombstone, which an older replica write must not follow) waits this long.
     */
    Duration requestLifetime();

    /** The largest encoded message, request or reply, this transport carries; a larger one is not sent. */
    int maxMessageSize();

    /** The address peers reach this node at ({@code host:port}). */
    String localAddress();

    /** Stops serving, fails requests in flight and releases connections. */
    @Override
    void close();
}
