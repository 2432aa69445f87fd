package dev.dynamo.client.cache;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.SiblingResolver;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.key.KeyNames;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Spring's {@link CacheManager} over a {@link DynamoClient}: a {@link DynamoCache} per cache name, made when first
 * asked for. Each cache has a bucket of its own named after it, or, with {@code sharedBucket}, lives in that one
 * bucket under the prefix {@code <cache name>::}. Its entries expire after its TTL, if it has one.
 */
public final class DynamoCacheManager implements CacheManager {

    /** The newest sibling by its write's timestamp: what a cache reader wants from two racing puts. */
    public static final SiblingResolver NEWEST = values -> values.stream()
            .max(Comparator.comparingLong(Value::lastModified)).orElseThrow();

    private final DynamoClient client;
    private final String sharedBucket;
    private final Duration defaultTtl;
    private final Map<String, Duration> ttls;
    private final CacheValueSerializer serializer;
    private final SiblingResolver siblings;
    private final boolean allowNullValues;
    private final Map<String, DynamoCache> caches = new ConcurrentHashMap<>();

    /**
     * @param sharedBucket the bucket every cache lives in under its own prefix; null gives each cache its own bucket
     * @param defaultTtl   how long entries live in a cache {@code ttls} does not name; null: until evicted
     * @param ttls         each named cache's TTL
     */
    public DynamoCacheManager(DynamoClient client, String sharedBucket, Duration defaultTtl, Map<String, Duration> ttls,
            CacheValueSerializer serializer, SiblingResolver siblings, boolean allowNullValues) {
        this.client = client;
        this.sharedBucket = sharedBucket == null || sharedBucket.isBlank() ? null : KeyNames.requireValidBucket(sharedBucket);
        this.defaultTtl = defaultTtl;
        this.ttls = Map.copyOf(ttls);
        this.serializer = serializer;
        this.siblings = siblings;
        this.allowNullValues = allowNullValues;
    }

    /** @throws IllegalArgumentException when the cache has its own bucket and its name is no valid bucket name */
    @Override
    public Cache getCache(String name) {
        return caches.computeIfAbsent(name, this::create);
    }

    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(caches.keySet());
    }

    private DynamoCache create(String name) {
        Duration ttl = ttls.getOrDefault(name, defaultTtl);
        if (sharedBucket != null) {
            return new DynamoCache(name, client, sharedBucket, name + "::", ttl, serializer, siblings, allowNullValues);
        }
        try {
            KeyNames.requireValidBucket(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cache '" + name + "' would be a bucket of that name, which is not valid"
                    + " (" + e.getMessage() + "); rename it, or set dynamo.cache.bucket to keep every cache in one bucket",
                    e);
        }
        return new DynamoCache(name, client, name, "", ttl, serializer, siblings, allowNullValues);
    }
}
