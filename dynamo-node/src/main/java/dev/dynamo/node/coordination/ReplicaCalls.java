package dev.dynamo.node.coordination;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.storage.VersionedStore;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * Reads and writes one replica of a key, wherever it is: this node's own store directly, any other
 * node through the peer calls.
 */
final class ReplicaCalls {

    private final String selfId;
    private final VersionedStore store;
    private final HintStore hints;
    private final PeerCalls peers;

    ReplicaCalls(String selfId, VersionedStore store, HintStore hints, PeerCalls peers) {
        this.selfId = selfId;
        this.store = store;
        this.hints = hints;
        this.peers = peers;
    }

    boolean isSelf(Member member) {
        return member.id().equals(selfId);
    }

    /** The replica's state of a key; standing in for {@code hintFor} when set. */
    CompletableFuture<VersionedValue> read(Member replica, StorageKey key, String hintFor, ConflictPolicy policy) {
        if (isSelf(replica)) {
            return CompletableFuture.completedFuture(readLocal(key, hintFor, policy));
        }
        return peers.read(replica, key, hintFor);
    }

    /**
     * Merges {@code value} into the replica, or into its hints for {@code hintFor} when set; {@code sizes}
     * hears the encoded sizes when the replica is another node.
     */
    CompletableFuture<Void> write(Member replica, StorageKey key, VersionedValue value, String hintFor,
            ConflictPolicy policy, IntConsumer sizes) {
        if (isSelf(replica)) {
            return writeLocal(key, value, hintFor, policy);
        }
        return peers.write(replica, key, value, hintFor, sizes);
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

    /** Sends a request to another node, through the peer calls. */
    CompletableFuture<Message> call(Member peer, Message request) {
        return peers.call(peer, request);
    }
}
