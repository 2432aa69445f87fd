package dev.dynamo.node.kv;

import dev.dynamo.node.bucket.BucketPolicy;

/**
 * The R or W a request asks for: the bucket's own, or a number of its own, which {@link KvService}
 * checks against the bucket's N.
 */
public record Quorum(boolean bucketsOwn, int requested) {

    /** The bucket's own quorum. */
    public static final Quorum BUCKETS_OWN = new Quorum(true, 0);

    /** A quorum of {@code requested} replicas, valid or not. */
    public static Quorum of(int requested) {
        return new Quorum(false, requested);
    }

    /**
     * The quorum a text asks for: absent is the bucket's own, and text that is no integer asks for
     * replica count 0, which no bucket accepts, so it is refused as any other invalid quorum is.
     */
    public static Quorum parse(String text) {
        if (text == null) {
            return BUCKETS_OWN;
        }
        try {
            return of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return of(0);
        }
    }

    /** The quorum to run with: {@code own} when the bucket's, else the requested one if it lies in 1..N. */
    int resolve(String name, BucketPolicy policy, int own) {
        if (bucketsOwn) {
            return own;
        }
        try {
            return policy.requireQuorum(name, requested);
        } catch (IllegalArgumentException e) {
            throw KvFailure.badRequest(e.getMessage());
        }
    }
}
