package dev.dynamo.node.coordination;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.FailureDetector;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transport.Transport;
import dev.dynamo.node.transport.TransportException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads and writes one replica of a key, wherever it is: this node's own store directly, any other
 * node over the transport. Every remote outcome feeds the failure detector.
 */
final class ReplicaCalls {

    private final String selfId;
    private final VersionedStore store;
    private final HintStore hints;
    private final Transport transport;
    private final FailureDetector detector;

    ReplicaCalls(String selfId, VersionedStore store, HintStore hints, Transport transport, FailureDetector detector) {
        this.selfId = selfId;
        this.store = store;
        this.hints = hints;
        this.transport = transport;
        this.detector = detector;
    }

    boolean isSelf(Member member) {
        return member.id().equals(selfId);
    }

    /** The replica's state of a key; standing in for {@code hintFor} when set. */
    CompletableFuture<VersionedValue> read(Member replica, StorageKey key, String hintFor, ConflictPolicy policy) {
        if (isSelf(replica)) {
            return CompletableFuture.completedFuture(readLocal(key, hintFor, policy));
        }
        return call(replica, new Message.ReplicaRead(key, hintFor)).thenApply(reply -> switch (reply) {
            case Message.ReplicaValue v -> v.value();
            default -> throw unexpected(replica, reply);
        });
    }

    /** Merges {@code value} into the replica, or into its hints for {@code hintFor} when set. */
    CompletableFuture<Void> write(Member replica, StorageKey key, VersionedValue value, String hintFor,
            ConflictPolicy policy) {
        if (isSelf(replica)) {
            return writeLocal(key, value, hintFor, policy);
        }
        return call(replica, new Message.ReplicaWrite(key, value, hintFor)).thenApply(reply -> switch (reply) {
            case Message.Ack ack -> null;
            default -> throw unexpected(replica, reply);
        });
    }

    /** This node's own state of a key, with what it holds for {@code hintFor} when it stands in. */
    VersionedValue readLocal(StorageKey key, String hintFor, ConflictPolicy policy) {
        VersionedValue data = store.read(key);
        return hintFor == null || hintFor.equals(selfId) ? data : data.merge(hints.get(hintFor, key), policy);
    }

    /** Merges into this node's data, or keeps a hint for {@code hintFor}. */
    CompletableFuture<Void> writeLocal(StorageKey key, VersionedValue value, String hintFor, ConflictPolicy policy) {
        if (hintFor == null || hintFor.equals(selfId)) {
            return store.merge(key, value, policy).thenApply(stored -> null);
        }
        return hints.store(hintFor, key, value, policy);
    }

    /** Sends a request to another node, feeding the failure detector with the outcome. */
    CompletableFuture<Message> call(Member peer, Message request) {
        return transport.request(peer.address(), request).whenComplete((reply, error) -> {
            if (error == null) {
                detector.succeeded(peer.id());
            } else {
                detector.failed(peer.id());
            }
        });
    }

    private static RuntimeException unexpected(Member replica, Message reply) {
        return new TransportException("replica " + replica.id() + " answered " + reply);
    }
}
