package dev.dynamo.node.antientropy;

import dev.dynamo.core.key.StorageKey;
import java.util.Arrays;
import java.util.Optional;

/** Stored keys as peers send them, accepted only as {@link StorageKey#of} makes them. */
final class PeerKeys {

    private PeerKeys() {
    }

    /** The key {@code stored} encodes; empty when it is malformed or not in {@link StorageKey#of}'s form. */
    static Optional<StorageKey> decode(byte[] stored) {
        try {
            StorageKey key = StorageKey.decode(stored);
            return Arrays.equals(StorageKey.of(key.bucket(), key.key()).encode(), stored) ? Optional.of(key)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
