package dev.dynamo.client.cache;

import static dev.dynamo.client.DynamoClient.BUCKET_QUORUM;
import static dev.dynamo.client.DynamoClient.await;

import dev.dynamo.client.ConditionFailedException;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.SiblingResolver;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} in a Dynamo bucket: each entry one key (the cache key's text,
 * after the cache's prefix), stored with the cache's TTL as the store's expiry. A read that finds siblings (two
 * writers at once) takes the one {@code siblings} picks, newest by default, and the next put replaces them all,
 * since it writes with the context of what it read.
 *
 * <p>{@link #get(Object, Callable)} loads at most once per call in this JVM, not once per cluster: two
 * applications that miss at once both load, and the later write wins. {@link #putIfAbsent} is the store's
 * conditional write, with its guarantees (see the README). {@link #clear} lists the bucket's keys with the cache's
 * prefix and deletes each: entries written meanwhile may stay.
 */
public final class DynamoCache extends AbstractValueAdaptingCache {

    /** Keys longer than this (in UTF-8, with the prefix) are stored under their SHA-256 instead. */
    private static final int MAX_KEY_BYTES = 1024;

    private final String name;
    private final DynamoClient client;
    private final String bucket;
    private final String prefix;
    private final Duration ttl;
    private final CacheValueSerializer serializer;
    private final SiblingResolver siblings;

    /**
     * @param bucket the bucket the entries live in
     * @param prefix what each entry's key starts with in it ("" when the cache has the bucket to itself)
     * @param ttl    how long an entry lives, or null for as long as it is not evicted
     */
    public DynamoCache(String name, DynamoClient client, String bucket, String prefix, Duration ttl,
            CacheValueSerializer serializer, SiblingResolver siblings, boolean allowNullValues) {
        super(allowNullValues);
        this.name = name;
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.ttl = ttl;
        this.serializer = serializer;
        this.siblings = siblings;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public DynamoClient getNativeCache() {
        return client;
    }

    /** The bucket this cache's entries live in. */
    public String bucket() {
        return bucket;
    }

    @Override
    protected Object lookup(Object key) {
        ReadResult read = client.get(bucket, storedKey(key));
        return read.isFound() ? serializer.deserialize(resolved(read).bytes()) : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        ValueWrapper cached = get(key);
        if (cached != null) {
            return (T) cached.get();
        }
        T loaded;
        try {
            loaded = valueLoader.call();
        } catch (Exception e) {
            throw new ValueRetrievalException(key, valueLoader, e);
        }
        put(key, loaded);
        return loaded;
    }

    @Override
    public void put(Object key, Object value) {
        byte[] stored = storedKey(key);
        CausalContext seen = client.get(bucket, stored).context(); // replaces every sibling it read
        await(client.putAsync(bucket, stored, value(value), seen, BUCKET_QUORUM, ttl));
    }

    @Override
    public ValueWrapper putIfAbsent(Object key, Object value) {
        try {
            await(client.putIfAbsentAsync(bucket, storedKey(key), value(value), BUCKET_QUORUM, ttl));
            return null;
        } catch (ConditionFailedException e) {
            return get(key);
        }
    }

    @Override
    public void evict(Object key) {
        await(client.deleteAsync(bucket, storedKey(key), CausalContext.NONE, BUCKET_QUORUM));
    }

    @Override
    public void clear() {
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        try (var keys = client.keys(bucket)) {
            keys.filter(key -> startsWith(key, start))
                    .forEach(key -> await(client.deleteAsync(bucket, key, CausalContext.NONE, BUCKET_QUORUM)));
        }
    }

    private Value value(Object value) {
        return Value.of(serializer.serialize(toStoreValue(value)), serializer.contentType());
    }

    private Value resolved(ReadResult read) {
        return read.siblings().size() == 1 ? read.value() : siblings.resolve(read.siblings());
    }

    /** The key an entry is stored under: the prefix and the cache key's text, or their SHA-256 when too long. */
    byte[] storedKey(Object key) {
        byte[] text = (prefix + key).getBytes(StandardCharsets.UTF_8);
        if (text.length <= MAX_KEY_BYTES) {
            return text;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text);
            return (prefix + "sha256:" + HexFormat.of().formatHex(digest)).getBytes(StandardCharsets.UTF_8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean startsWith(byte[] key, byte[] start) {
        return key.length >= start.length && Arrays.equals(key, 0, start.length, start, 0, start.length);
    }
}
