package dev.dynamo.node.peer;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.transport.MessageTooLargeException;
import dev.dynamo.node.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * Every call this node makes to another, whichever concern makes it: the transport bounds its time
 * (its request timeout), this checks the reply's type, feeds the failure detector and tells the
 * caller the encoded sizes, so no concern does any of that on its own.
 *
 * <p>A call to a member feeds the failure detector: any reply counts as an answer (a {@link
 * Message.Failure} too: the peer is alive), no reply as a failure, except a request too large to
 * send, which is no news of the peer. A call to a bare address (a seed,
 * a node an operator adds) feeds nothing, as its member is not known yet. A reply of another type
 * than the one expected fails the call with {@link UnexpectedReplyException}, which carries it.
 */
public final class PeerCalls {

    /** For calls whose sizes nobody counts. */
    public static final IntConsumer UNCOUNTED = size -> { };

    private final Transport transport;
    private final FailureDetector detector;

    public PeerCalls(Transport transport, FailureDetector detector) {
        this.transport = transport;
        this.detector = detector;
    }

    /** Sends {@code request} to {@code peer} and completes with whatever it answers. */
    public CompletableFuture<Message> call(Member peer, Message request) {
        return call(peer, request, UNCOUNTED);
    }

    /** Sends {@code request} to {@code peer}; completes with its reply when it is an {@code expected}. */
    public <T extends Message> CompletableFuture<T> call(Member peer, Message request, Class<T> expected) {
        return call(peer, request, expected, UNCOUNTED);
    }

    /** As {@link #call(Member, Message, Class)}; {@code sizes} hears the encoded size of the request and of the reply. */
    public <T extends Message> CompletableFuture<T> call(Member peer, Message request, Class<T> expected,
            IntConsumer sizes) {
        return call(peer, request, sizes).thenApply(reply -> expect(peer.id(), reply, expected));
    }

    /** Sends {@code request} to the node at {@code address}, not known as a member; feeds no failure detector. */
    public <T extends Message> CompletableFuture<T> callAddress(String address, Message request, Class<T> expected) {
        return send(address, request, UNCOUNTED).thenApply(reply -> expect(address, reply, expected));
    }

    /** {@code replica}'s state of {@code key}; standing in for {@code hintFor} when set. */
    public CompletableFuture<VersionedValue> read(Member replica, StorageKey key, String hintFor) {
        return call(replica, new Message.ReplicaRead(key, hintFor), Message.ReplicaValue.class)
                .thenApply(Message.ReplicaValue::value);
    }

    /**
     * Merges {@code value} into {@code replica}'s state of {@code key}, or its hints for {@code hintFor}
     * when set; {@code sizes} hears the encoded sizes.
     */
    public CompletableFuture<Void> write(Member replica, StorageKey key, VersionedValue value, String hintFor,
            IntConsumer sizes) {
        return call(replica, new Message.ReplicaWrite(key, value, hintFor), Message.Ack.class, sizes)
                .thenApply(ack -> null);
    }

    private CompletableFuture<Message> call(Member peer, Message request, IntConsumer sizes) {
        return send(peer.address(), request, sizes).whenComplete((reply, error) -> {
            if (error == null) {
                detector.succeeded(peer.id());
            } else if (!(Futures.cause(error) instanceof MessageTooLargeException)) { // our message's fault, not the peer's
                detector.failed(peer.id());
            }
        });
    }

    private CompletableFuture<Message> send(String address, Message request, IntConsumer sizes) {
        try {
            return transport.request(address, request, sizes);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T extends Message> T expect(String peer, Message reply, Class<T> expected) {
        if (!expected.isInstance(reply)) {
            throw new UnexpectedReplyException(peer, reply);
        }
        return expected.cast(reply);
    }
}
