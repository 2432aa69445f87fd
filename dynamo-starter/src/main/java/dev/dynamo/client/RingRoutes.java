package dev.dynamo.client;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.ClientMessage.RingState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which nodes to ask for a key, from a node's ring (client-driven coordination, DeCandia et al. 2007,
 * section 6.4): the key's preference list, hashed exactly as the nodes hash it ({@link StorageKey}), then
 * every other member as a fallback, since any node can coordinate a read and forwards a write to a primary.
 * An immutable value; a fresher ring makes a new one.
 */
record RingRoutes(RingState state) {

    long version() {
        return state.ring().version();
    }

    /** Every member's address, in member order. */
    List<String> members() {
        return state.ring().members().stream().map(Member::address).toList();
    }

    /** N of a bucket, as the nodes have it configured. */
    int replicas(String bucket) {
        return state.bucketN().getOrDefault(bucket, state.defaultN());
    }

    /**
     * The nodes for a key, in order: its {@code N} replicas first, rotated by {@code turn} so that requests
     * spread over them (any of them coordinates a read or a write, DeCandia et al. 2007, section 6.4), then
     * the other members in preference order.
     */
    List<String> forKey(String bucket, byte[] key, int turn) {
        Ring ring = state.ring();
        List<String> order = ring.extendedPreferenceList(StorageKey.of(bucket, key).position()).stream()
                .map(Member::address).toList();
        return rotated(order, Math.min(replicas(bucket), order.size()), turn);
    }

    /** {@code nodes} with its first {@code first} rotated left by {@code turn}; the rest stay behind in order. */
    static List<String> rotated(List<String> nodes, int first, int turn) {
        List<String> result = new ArrayList<>(nodes);
        if (first > 1) {
            Collections.rotate(result.subList(0, first), -Math.floorMod(turn, first));
        }
        return result;
    }
}
