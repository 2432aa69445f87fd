package dev.dynamo.node.coordination;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.storage.VersionedStore;
import java.util.concurrent.CompletableFuture;

/**
 * Runs client requests against the replicas of a key. On a single-node cluster the node itself
 * is every replica, so any quorum from 1 to N is met by its own answer.
 */
public final class RequestCoordinator {

    private final VersionedStore store;
    private final BucketPolicies policies;

    public RequestCoordinator(VersionedStore store, BucketPolicies policies) {
        this.store = store;
        this.policies = policies;
    }

    /** The settings of a bucket, for checking request overrides. */
    public BucketPolicy policy(String bucket) {
        return policies.of(bucket);
    }

    /** Reads a key from R replicas and merges their answers. */
    public VersionedValue get(StorageKey key, int r) {
        return store.read(key);
    }

    /** Writes a new version that supersedes {@code context}; completes after W acknowledgements. */
    public CompletableFuture<VersionedValue> put(StorageKey key, VersionVector context, byte[] value,
            String contentType, int w) {
        return store.write(key, context, value, contentType, policy(key.bucket()).conflict());
    }

    /**
     * Deletes what {@code context} has seen, or, without a context, every version the coordinator
     * holds now: what users expect of a plain DELETE.
     */
    public CompletableFuture<VersionedValue> delete(StorageKey key, VersionVector context, int w) {
        VersionVector seen = context != null ? context : store.read(key).clock();
        return store.delete(key, seen, policy(key.bucket()).conflict());
    }
}
