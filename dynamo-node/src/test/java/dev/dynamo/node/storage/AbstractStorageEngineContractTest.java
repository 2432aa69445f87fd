package dev.dynamo.node.storage;

import static dev.dynamo.node.storage.StorageEngine.Namespace.DATA;
import static dev.dynamo.node.storage.StorageEngine.Namespace.HINTS;
import static dev.dynamo.node.storage.StorageEngine.Namespace.KEYS;
import static dev.dynamo.node.storage.StorageEngine.Namespace.META;
import static dev.dynamo.node.storage.StorageTestSupport.SECONDS;
import static dev.dynamo.node.storage.StorageTestSupport.await;
import static dev.dynamo.node.storage.StorageTestSupport.awaitLatch;
import static dev.dynamo.node.storage.StorageTestSupport.b;
import static dev.dynamo.node.storage.StorageTestSupport.bytes;
import static dev.dynamo.node.storage.StorageTestSupport.concat;
import static dev.dynamo.node.storage.StorageTestSupport.counter;
import static dev.dynamo.node.storage.StorageTestSupport.failureOf;
import static dev.dynamo.node.storage.StorageTestSupport.hex;
import static dev.dynamo.node.storage.StorageTestSupport.increment;
import static dev.dynamo.node.storage.StorageTestSupport.keys;
import static dev.dynamo.node.storage.StorageTestSupport.putAll;
import static dev.dynamo.node.storage.StorageTestSupport.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link StorageEngine} owes its callers, written once; each engine's test
 * only says how to open it.
 */
abstract class AbstractStorageEngineContractTest {

    /** The longest stored key: ring position, bucket length, 64-byte bucket, 1024-byte key. */
    static final int LONGEST_STORED_KEY = 8 + 1 + 64 + 1024;
    static final long ROOMY = 256L << 20;

    @TempDir
    Path directory;

    private final List<StorageEngine> opened = new ArrayList<>();

    /** Opens the engine under test in {@code directory}, or reopens what was there. */
    abstract StorageEngine open(Path directory, long maxSize, SyncPolicy sync);

    /** Whether what an engine stored is there again after close and reopen. */
    boolean durable() {
        return true;
    }

    StorageEngine engine(long maxSize, SyncPolicy sync) {
        StorageEngine engine = open(directory, maxSize, sync);
        opened.add(engine);
        return engine;
    }

    StorageEngine engine() {
        return engine(ROOMY, SyncPolicy.NEVER);
    }

    @AfterEach
    void closeEngines() {
        opened.forEach(StorageEngine::close);
    }

    @Test
    void putGetAndDelete() {
        StorageEngine engine = engine();
        assertThat(engine.get(DATA, bytes("a"))).isNull();
        assertThat(await(engine.put(DATA, bytes("a"), bytes("1")))).isEqualTo(bytes("1"));
        assertThat(engine.get(DATA, bytes("a"))).isEqualTo(bytes("1"));
        await(engine.put(DATA, bytes("empty"), new byte[0]));
        assertThat(engine.get(DATA, bytes("empty"))).isEmpty();
        assertThat(await(engine.delete(DATA, bytes("a")))).isNull();
        assertThat(engine.get(DATA, bytes("a"))).isNull();
        assertThat(await(engine.delete(DATA, bytes("never there")))).isNull();
    }

    @Test
    void updateSeesTheCurrentValue() {
        StorageEngine engine = engine();
        List<byte[]> seen = Collections.synchronizedList(new ArrayList<>());
        UnaryOperator<byte[]> append = current -> {
            seen.add(current);
            return current == null ? bytes("x") : concat(current, bytes("x"));
        };
        await(engine.update(DATA, bytes("k"), append));
        assertThat(await(engine.update(DATA, bytes("k"), append))).isEqualTo(bytes("xx"));
        assertThat(seen).containsExactly(null, bytes("x"));
    }

    @Test
    void anIndexEntryIsWrittenWhenItsKeyIsCreatedAndRemovedWithIt() {
        StorageEngine engine = engine();
        StorageEngine.IndexEntry index = new StorageEngine.IndexEntry(bytes("index"), bytes("position"));
        await(engine.update(DATA, bytes("k"), () -> index, current -> bytes("v1")));
        assertThat(engine.get(KEYS, bytes("index"))).isEqualTo(bytes("position"));

        await(engine.delete(KEYS, bytes("index"))); // only to see that an overwrite does not write it again
        await(engine.update(DATA, bytes("k"), () -> index, current -> bytes("v2")));
        assertThat(engine.get(KEYS, bytes("index"))).as("an overwrite costs no index write").isNull();

        await(engine.put(KEYS, bytes("index"), bytes("position")));
        await(engine.update(DATA, bytes("k"), () -> index, current -> null));
        assertThat(engine.get(KEYS, bytes("index"))).isNull();
        await(engine.update(DATA, bytes("k"), () -> index, current -> null));
        assertThat(engine.get(KEYS, bytes("index"))).as("removing an absent key indexes nothing").isNull();
    }

    @Test
    void aKeyCreatedAndRemovedInOneBatchLeavesNoIndexEntry() {
        StorageEngine engine = engine();
        StorageEngine.IndexEntry index = new StorageEngine.IndexEntry(bytes("index"), bytes("position"));
        List<CompletableFuture<byte[]>> updates = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // fired without waiting, so most share a batch
            int n = i;
            updates.add(engine.update(DATA, bytes("k"), () -> index, current -> n % 2 == 0 ? bytes("v") : null));
        }
        updates.forEach(StorageTestSupport::await);
        assertThat(engine.get(DATA, bytes("k"))).isNull();
        assertThat(engine.get(KEYS, bytes("index"))).isNull();
    }

    @Test
    void arraysHandedOutAndInAreNotShared() {
        StorageEngine engine = engine();
        byte[] value = bytes("value");
        await(engine.put(DATA, bytes("k"), value));
        value[0] = 'X';
        engine.get(DATA, bytes("k"))[1] = 'X';
        engine.scan(DATA, new byte[0], null, (key, stored) -> {
            stored[2] = 'X';
            return true;
        });
        assertThat(engine.get(DATA, bytes("k"))).isEqualTo(bytes("value"));
    }

    @Test
    void namespacesAreSeparate() {
        StorageEngine engine = engine();
        for (Namespace namespace : Namespace.values()) {
            await(engine.put(namespace, bytes("k"), bytes(namespace.name())));
        }
        await(engine.delete(HINTS, bytes("k")));
        assertThat(engine.get(DATA, bytes("k"))).isEqualTo(bytes("DATA"));
        assertThat(engine.get(HINTS, bytes("k"))).isNull();
        assertThat(engine.get(META, bytes("k"))).isEqualTo(bytes("META"));
        assertThat(keys(engine, META, new byte[0], null)).containsExactly(hex(bytes("k")));
    }

    @Test
    void scanVisitsKeysInUnsignedByteOrder() {
        StorageEngine engine = engine();
        List<byte[]> keys = List.of(b(0x00), b(0x01), b(0x01, 0x00), b(0x7f), b(0x7f, 0xff), b(0x80),
                b(0x80, 0x00), b(0xc0), b(0xfe, 0xff), b(0xff), b(0xff, 0x00), b(0xff, 0xff));
        List<byte[]> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(1));
        putAll(engine, DATA, shuffled);
        assertThat(keys(engine, DATA, new byte[0], null)).containsExactlyElementsOf(hex(keys));
    }

    @Test
    void scanHonoursItsBoundsAndStopsWhenTold() {
        StorageEngine engine = engine();
        putAll(engine, DATA, List.of(b(0x10), b(0x20), b(0x20, 0x01), b(0x30), b(0x90), b(0xa0)));
        assertThat(keys(engine, DATA, b(0x20), b(0x90))).containsExactly("20", "2001", "30");
        assertThat(keys(engine, DATA, b(0x20, 0x00), b(0x30))).containsExactly("2001");
        assertThat(keys(engine, DATA, b(0x90), null)).containsExactly("90", "a0");
        assertThat(keys(engine, DATA, b(0x30), b(0x30))).isEmpty();
        assertThat(keys(engine, DATA, b(0xa0), b(0x10))).isEmpty();
        List<String> firstTwo = new ArrayList<>();
        engine.scan(DATA, new byte[0], null, (key, value) -> firstTwo.add(hex(key)) && firstTwo.size() < 2);
        assertThat(firstTwo).containsExactly("10", "20");
    }

    @Test
    void partitionRangesOfStoredKeysSplitTheKeysExactly() {
        StorageEngine engine = engine();
        Random random = new Random(2);
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] userKey = new byte[i % 10 == 0 ? 1024 : 1 + random.nextInt(40)];
            random.nextBytes(userKey);
            all.add(StorageKey.of("bucket-" + i % 3, userKey).encode());
        }
        putAll(engine, DATA, all);
        int partitions = 16;
        List<String> visited = new ArrayList<>();
        long width = Long.divideUnsigned(-1L, partitions) + 1;
        for (int p = 0; p < partitions; p++) {
            byte[] to = p == partitions - 1 ? null : StorageKey.rangeStart(width * (p + 1));
            visited.addAll(keys(engine, DATA, StorageKey.rangeStart(width * p), to));
        }
        List<String> sorted = hex(all);
        assertThat(visited).containsExactlyElementsOf(sorted);
    }

    @Test
    void keysOfEveryLengthUpToTheLongestStoredKey() {
        StorageEngine engine = engine();
        Random random = new Random(3);
        List<byte[]> keys = new ArrayList<>();
        for (int length = 1; length <= LONGEST_STORED_KEY; length++) {
            byte[] chained = new byte[length];
            Arrays.fill(chained, (byte) 0x9c); // each one a prefix of the next
            byte[] scattered = new byte[length];
            random.nextBytes(scattered);
            keys.add(chained);
            keys.add(scattered);
        }
        putAll(engine, DATA, keys);
        for (byte[] key : keys) {
            assertThat(engine.get(DATA, key)).as("key of %d bytes", key.length).isEqualTo(valueOf(key));
        }
        assertThat(keys(engine, DATA, new byte[0], null)).containsExactlyElementsOf(hex(keys));
        engine.scan(DATA, new byte[0], null, (key, value) -> {
            assertThat(value).as("value under a key of %d bytes", key.length).isEqualTo(valueOf(key));
            return true;
        });
    }

    @Test
    void manyLongKeysSharingALongPrefix() {
        StorageEngine engine = engine();
        Random random = new Random(4);
        byte[] prefix = new byte[1_000];
        random.nextBytes(prefix);
        Map<String, byte[]> distinct = new LinkedHashMap<>();
        while (distinct.size() < 1_500) { // 400 to 1,097 bytes, all alike up to byte 990 or their end
            byte[] key = Arrays.copyOf(prefix, 400 + random.nextInt(LONGEST_STORED_KEY - 400 + 1));
            for (int j = Math.min(key.length, 990); j < key.length; j++) {
                key[j] = (byte) random.nextInt();
            }
            distinct.put(hex(key), key);
        }
        List<byte[]> keys = new ArrayList<>(distinct.values());
        putAll(engine, DATA, keys);
        List<String> sorted = hex(keys);
        assertThat(keys(engine, DATA, new byte[0], null)).containsExactlyElementsOf(sorted);
        byte[] from = HexFormat.of().parseHex(sorted.get(300));
        byte[] to = HexFormat.of().parseHex(sorted.get(1_200));
        assertThat(keys(engine, DATA, from, to)).containsExactlyElementsOf(sorted.subList(300, 1_200));
        for (int i = 0; i < keys.size(); i += 2) {
            await(engine.delete(DATA, keys.get(i)));
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(engine.get(DATA, keys.get(i))).isEqualTo(i % 2 == 0 ? null : valueOf(keys.get(i)));
        }
        assertThat(keys(engine, DATA, new byte[0], null)).hasSize(keys.size() / 2);
    }

    @Test
    void concurrentUpdatesAreAtomicAndGroupCommitted() throws Exception {
        StorageEngine engine = engine(ROOMY, SyncPolicy.ALWAYS);
        int threads = 8;
        int updatesPerThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<CompletableFuture<byte[]>>>> submitted = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                byte[] own = bytes("counter-" + t);
                submitted.add(pool.submit(() -> { // every thread fires its updates without waiting: big batches
                    awaitLatch(start);
                    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
                    for (int i = 0; i < updatesPerThread; i++) {
                        futures.add(engine.update(DATA, i % 2 == 0 ? bytes("shared") : own, StorageTestSupport::increment));
                    }
                    return futures;
                }));
            }
            start.countDown();
            for (var futures : submitted) {
                futures.get(SECONDS, TimeUnit.SECONDS).forEach(StorageTestSupport::await);
            }
        }
        assertThat(counter(engine.get(DATA, bytes("shared")))).isEqualTo(threads * updatesPerThread / 2);
        for (int t = 0; t < threads; t++) {
            assertThat(counter(engine.get(DATA, bytes("counter-" + t)))).isEqualTo(updatesPerThread / 2);
        }
    }

    @Test
    void largeValues() {
        StorageEngine engine = engine();
        Random random = new Random(5);
        byte[] oneMiB = new byte[1 << 20];
        byte[] eightMiB = new byte[8 << 20];
        random.nextBytes(oneMiB);
        random.nextBytes(eightMiB);
        await(engine.put(DATA, bytes("one"), oneMiB));
        await(engine.put(DATA, bytes("eight"), eightMiB));
        assertThat(engine.get(DATA, bytes("one"))).isEqualTo(oneMiB);
        assertThat(engine.get(DATA, bytes("eight"))).isEqualTo(eightMiB);
        assertThat(engine.sizeInBytes()).isGreaterThanOrEqualTo(9L << 20);
        List<Integer> sizes = new ArrayList<>();
        engine.scan(DATA, new byte[0], null, (key, value) -> sizes.add(value.length));
        assertThat(sizes).containsExactly(8 << 20, 1 << 20);
    }

    @Test
    void manyKeys() {
        StorageEngine engine = engine();
        int count = 50_000;
        List<CompletableFuture<byte[]>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(engine.put(DATA, StorageKey.of("many", bytes("key-" + i)).encode(), bytes("value-" + i)));
        }
        futures.forEach(StorageTestSupport::await);
        int[] visited = {0};
        byte[][] previous = {new byte[0]};
        engine.scan(DATA, new byte[0], null, (key, value) -> {
            assertThat(Arrays.compareUnsigned(previous[0], key)).isNegative();
            previous[0] = key;
            visited[0]++;
            return true;
        });
        assertThat(visited[0]).isEqualTo(count);
        for (int i = 0; i < count; i += 997) {
            assertThat(engine.get(DATA, StorageKey.of("many", bytes("key-" + i)).encode())).isEqualTo(bytes("value-" + i));
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void reopeningKeepsEverything(SyncPolicy sync) {
        assumeTrue(durable(), "this engine keeps nothing after close");
        byte[] longKey = new byte[LONGEST_STORED_KEY];
        Arrays.fill(longKey, (byte) 0xee);
        byte[] large = new byte[1 << 20];
        new Random(6).nextBytes(large);
        StorageEngine first = open(directory, ROOMY, sync);
        await(first.put(DATA, bytes("a"), bytes("1")));
        await(first.put(DATA, longKey, large));
        await(first.put(HINTS, bytes("h"), bytes("2")));
        await(first.put(META, bytes("m"), bytes("3")));
        await(first.put(DATA, bytes("gone"), bytes("4")));
        await(first.delete(DATA, bytes("gone")));
        first.close();
        StorageEngine reopened = engine(ROOMY, sync);
        assertThat(reopened.get(DATA, bytes("a"))).isEqualTo(bytes("1"));
        assertThat(reopened.get(DATA, longKey)).isEqualTo(large);
        assertThat(reopened.get(HINTS, bytes("h"))).isEqualTo(bytes("2"));
        assertThat(reopened.get(META, bytes("m"))).isEqualTo(bytes("3"));
        assertThat(reopened.get(DATA, bytes("gone"))).isNull();
        assertThat(keys(reopened, DATA, new byte[0], null)).containsExactly(hex(bytes("a")), hex(longKey));
    }

    @Test
    void closeCompletesTheWritesInFlight() {
        StorageEngine engine = open(directory, ROOMY, SyncPolicy.INTERVAL);
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            futures.add(engine.put(DATA, bytes("k" + i), bytes("v" + i)));
        }
        engine.close();
        assertThat(futures).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
        if (durable()) {
            assertThat(keys(engine(ROOMY, SyncPolicy.NEVER), DATA, new byte[0], null)).hasSize(2_000);
        }
    }

    @Test
    void aThrowingChangeFailsOnlyItsOwnUpdate() throws Exception {
        StorageEngine engine = engine();
        CountDownLatch release = new CountDownLatch(1);
        // holds the writer inside one change while the next updates queue up, so they share its batch
        CompletableFuture<byte[]> holder = engine.update(DATA, bytes("holder"), current -> {
            awaitLatch(release);
            return bytes("held");
        });
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<byte[]> first = engine.put(DATA, bytes("a"), bytes("1"));
        CompletableFuture<byte[]> failing = engine.update(DATA, bytes("b"), current -> {
            throw boom;
        });
        CompletableFuture<byte[]> sameKeyLater = engine.update(DATA, bytes("a"), current -> concat(current, bytes("2")));
        release.countDown();
        assertThat(await(holder)).isEqualTo(bytes("held"));
        assertThat(await(first)).isEqualTo(bytes("1"));
        assertThat(await(sameKeyLater)).isEqualTo(bytes("12"));
        assertThat(failureOf(failing)).isSameAs(boom);
        assertThat(engine.get(DATA, bytes("a"))).isEqualTo(bytes("12"));
        assertThat(engine.get(DATA, bytes("b"))).isNull();
    }

    @Test
    void callsAfterCloseFailClearly() {
        StorageEngine engine = engine();
        engine.close();
        assertThatThrownBy(() -> engine.get(DATA, bytes("k"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> engine.put(DATA, bytes("k"), bytes("v"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> engine.scan(DATA, new byte[0], null, (k, v) -> true)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(engine::sizeInBytes).isInstanceOf(IllegalStateException.class);
        engine.close();
    }

    @Test
    void keysOutsideTheLimitsAreRejected() {
        StorageEngine engine = engine();
        assertThatThrownBy(() -> engine.put(DATA, new byte[0], bytes("v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.get(DATA, new byte[StorageEngine.MAX_KEY_BYTES + 1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullStoreRefusesWritesKeepsItsDataAndServesReads() {
        long maxSize = 1L << 20;
        StorageEngine engine = engine(maxSize, SyncPolicy.ALWAYS);
        byte[] value = new byte[64 << 10];
        new Random(7).nextBytes(value);
        int stored = 0;
        Throwable failure = null;
        while (failure == null && stored < 64) {
            failure = failureOf(engine.put(DATA, bytes("v" + stored), value));
            stored += failure == null ? 1 : 0;
        }
        assertThat(failure).isInstanceOf(StorageFullException.class)
                .hasMessageContaining("storage is full: ").hasMessageContaining(" of " + maxSize + " bytes used")
                .hasMessageContaining("dynamo.storage.max-size");
        assertThat(stored).isPositive();
        assertThat(engine.get(DATA, bytes("v" + stored))).isNull();
        for (int i = 0; i < stored; i++) {
            assertThat(engine.get(DATA, bytes("v" + i))).isEqualTo(value);
        }
        assertThat(keys(engine, DATA, new byte[0], null)).hasSize(stored);
        assertThat(failureOf(engine.put(DATA, bytes("again"), new byte[2 << 20]))).isInstanceOf(StorageFullException.class);
        assertThat(engine.get(DATA, bytes("v0"))).isEqualTo(value);
    }
}
