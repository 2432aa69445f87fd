package dev.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.client.cache.DynamoCacheManager;
import dev.dynamo.client.cache.JsonCacheValueSerializer;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import tools.jackson.databind.json.JsonMapper;

/** The Spring cache over a client: what each cache operation asks of the store (a real node: CacheAppTest). */
class DynamoCacheTest {

    record Price(String item, long cents) {
    }

    private final Store store = new Store();
    private final DynamoCacheManager own = manager(null);
    private final DynamoCacheManager shared = manager("caches");

    @Test
    void aValueComesBackAsTheClassItWasCachedAsAndNullIsCachedToo() {
        Cache prices = own.getCache("prices");
        prices.put("apple", new Price("apple", 120));
        prices.put("none", null);

        assertThat(prices.get("apple", Price.class)).isEqualTo(new Price("apple", 120));
        assertThat(prices.get("none")).isNotNull().extracting(Cache.ValueWrapper::get).isNull();
        assertThat(prices.get("missing")).isNull();
        assertThat(store.ttls).as("each write with its cache's TTL").containsOnly(Duration.ofMinutes(10));
        assertThat(store.buckets.keySet()).containsExactly("prices");
    }

    @Test
    void aPutReplacesWhatItReadSoRacingPutsLeaveNoSiblingsBehind() {
        Cache prices = own.getCache("prices");
        prices.put("apple", new Price("apple", 1));
        prices.put("apple", new Price("apple", 2));
        assertThat(store.values("prices", "apple")).hasSize(1);

        store.racingSibling("prices", "apple", new Price("apple", 3), Long.MAX_VALUE);
        assertThat(prices.get("apple", Price.class)).as("the newest of two siblings").isEqualTo(new Price("apple", 3));
        prices.put("apple", new Price("apple", 4));
        assertThat(store.values("prices", "apple")).hasSize(1);
    }

    @Test
    void getLoadsOnlyOnAMissAndPutIfAbsentKeepsWhatIsThere() {
        Cache prices = own.getCache("prices");
        AtomicInteger loads = new AtomicInteger();
        assertThat(prices.get("pear", () -> new Price("pear", 90 + loads.incrementAndGet()))).isEqualTo(new Price("pear", 91));
        assertThat(prices.get("pear", () -> new Price("pear", 90 + loads.incrementAndGet()))).isEqualTo(new Price("pear", 91));
        assertThat(loads).hasValue(1);

        assertThat(prices.putIfAbsent("fig", new Price("fig", 5))).isNull();
        assertThat(prices.putIfAbsent("fig", new Price("fig", 6))).extracting(Cache.ValueWrapper::get)
                .isEqualTo(new Price("fig", 5));
    }

    @Test
    void evictAndClearRemoveOnlyTheirOwnEntriesFromASharedBucket() {
        Cache prices = shared.getCache("prices");
        Cache stock = shared.getCache("stock");
        prices.put("apple", 1);
        prices.put("pear", 2);
        stock.put("apple", 3);
        assertThat(store.buckets.get("caches").keySet()).containsExactly("prices::apple", "prices::pear", "stock::apple");

        prices.evict("pear");
        assertThat(prices.get("pear")).isNull();
        prices.clear();
        assertThat(prices.get("apple")).isNull();
        assertThat(stock.get("apple").get()).isEqualTo(3);
    }

    @Test
    void aCacheNameThatIsNoBucketNameIsRefusedUnlessCachesShareABucket() {
        assertThatThrownBy(() -> own.getCache("user prices")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set dynamo.cache.bucket");
        assertThat(shared.getCache("user prices").get("x")).isNull();
    }

    @Test
    void aKeyTooLongForTheStoreIsStoredUnderItsDigest() {
        Cache prices = own.getCache("prices");
        String longKey = "k".repeat(5000);
        prices.put(longKey, 7);
        assertThat(prices.get(longKey).get()).isEqualTo(7);
        assertThat(store.buckets.get("prices").keySet()).allMatch(k -> k.startsWith("sha256:") && k.length() == 71);
    }

    private DynamoCacheManager manager(String sharedBucket) {
        return new DynamoCacheManager(store, sharedBucket, Duration.ofHours(1), Map.of("prices", Duration.ofMinutes(10)),
                new JsonCacheValueSerializer(new JsonMapper(), getClass().getClassLoader()), DynamoCacheManager.NEWEST,
                true);
    }

    /** Buckets of keys of sibling lists in memory; a context is the key's write count, and covers every sibling. */
    private static final class Store extends FakeDynamoClient {
        final Map<String, TreeMap<String, List<Value>>> buckets = new TreeMap<>();
        final Map<String, Integer> writes = new TreeMap<>();
        final List<Duration> ttls = new ArrayList<>();

        List<Value> values(String bucket, String key) {
            return buckets.getOrDefault(bucket, new TreeMap<>()).getOrDefault(key, List.of());
        }

        void racingSibling(String bucket, String key, Price price, long lastModified) {
            List<Value> values = new ArrayList<>(values(bucket, key));
            byte[] json = new JsonCacheValueSerializer(new JsonMapper(), getClass().getClassLoader()).serialize(price);
            values.add(new Value(json, "application/json", lastModified));
            buckets.get(bucket).put(key, values);
        }

        @Override
        public CompletableFuture<ReadResult> getAsync(String bucket, byte[] key, int r) {
            String name = text(key);
            return CompletableFuture.completedFuture(new ReadResult(values(bucket, name),
                    new CausalContext("w" + writes.getOrDefault(bucket + "/" + name, 0))));
        }

        @Override
        public CompletableFuture<WriteResult> putAsync(String bucket, byte[] key, Value value, CausalContext context,
                int w, Duration ttl) {
            ttls.add(ttl);
            String name = text(key);
            String id = bucket + "/" + name;
            List<Value> values = new ArrayList<>(context.token().equals("w" + writes.getOrDefault(id, 0))
                    ? List.of() : values(bucket, name));
            values.add(new Value(value.bytes(), value.contentType(), writes.merge(id, 1, Integer::sum)));
            buckets.computeIfAbsent(bucket, b -> new TreeMap<>()).put(name, values);
            return CompletableFuture.completedFuture(new WriteResult(new CausalContext("w" + writes.get(id)), values.size()));
        }

        @Override
        public CompletableFuture<WriteResult> putIfAbsentAsync(String bucket, byte[] key, Value value, int w,
                Duration ttl) {
            if (!values(bucket, text(key)).isEmpty()) {
                return CompletableFuture.failedFuture(new ConditionFailedException("present", CausalContext.NONE));
            }
            return putAsync(bucket, key, value, CausalContext.NONE, w, ttl);
        }

        @Override
        public CompletableFuture<WriteResult> deleteAsync(String bucket, byte[] key, CausalContext context, int w) {
            buckets.getOrDefault(bucket, new TreeMap<>()).remove(text(key));
            return CompletableFuture.completedFuture(new WriteResult(CausalContext.NONE, 0));
        }

        @Override
        public CompletableFuture<KeyPage> listKeysAsync(String bucket, byte[] after, int limit) {
            List<byte[]> keys = buckets.getOrDefault(bucket, new TreeMap<>()).keySet().stream()
                    .filter(k -> after == null || k.compareTo(text(after)) > 0).limit(limit)
                    .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
            return CompletableFuture.completedFuture(new KeyPage(new ArrayList<>(keys), null));
        }

        private static String text(byte[] key) {
            return new String(key, StandardCharsets.UTF_8);
        }
    }
}
