package dev.dynamo.node.bucket;

import dev.dynamo.core.version.ConflictPolicy;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Resolves each bucket's settings from configuration, checked once at start-up. */
public final class BucketPolicies {

    private final BucketPolicy defaults;
    private final Map<String, BucketPolicy> named;

    public BucketPolicies(ReplicationProperties properties) {
        ReplicationProperties.Quorum quorum = properties.defaults();
        this.defaults = checked("dynamo.defaults",
                () -> new BucketPolicy(quorum.n(), quorum.r(), quorum.w(), ConflictPolicy.SIBLINGS));
        Map<String, ReplicationProperties.Bucket> buckets = properties.buckets() == null ? Map.of() : properties.buckets();
        this.named = buckets.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> checked("dynamo.buckets." + e.getKey(), () -> resolve(e.getValue()))));
    }

    /** The settings of buckets not configured on their own. */
    public BucketPolicy defaults() {
        return defaults;
    }

    /** The replica count N of each bucket configured on its own; others have the defaults' N. */
    public Map<String, Integer> configuredN() {
        return named.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().n()));
    }

    /** The most replicas any bucket keeps: how many copies a ring change must make of every partition. */
    public int maxN() {
        return named.values().stream().mapToInt(BucketPolicy::n).reduce(defaults.n(), Math::max);
    }

    /** The settings of a bucket: its own where configured, else the defaults. */
    public BucketPolicy of(String bucket) {
        return named.getOrDefault(bucket, defaults);
    }

    private BucketPolicy resolve(ReplicationProperties.Bucket bucket) {
        return new BucketPolicy(
                bucket.n() != null ? bucket.n() : defaults.n(),
                bucket.r() != null ? bucket.r() : defaults.r(),
                bucket.w() != null ? bucket.w() : defaults.w(),
                conflict(bucket.conflict()), bucket.ttl());
    }

    private static ConflictPolicy conflict(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "siblings" -> ConflictPolicy.SIBLINGS;
            case "lww" -> ConflictPolicy.LWW;
            default -> throw new IllegalArgumentException("conflict must be 'siblings' or 'lww', got '" + name + "'");
        };
    }

    private static BucketPolicy checked(String prefix, Supplier<BucketPolicy> policy) {
        try {
            return policy.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid " + prefix + ": " + e.getMessage(), e);
        }
    }
}
