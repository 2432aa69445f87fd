package dev.dynamo.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The key index behind listings: kept with every change, built once for an older store, read a page at a time. */
class KeyIndexTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochMilli(10_000));
    private static final ConflictPolicy SIBLINGS = ConflictPolicy.SIBLINGS;

    private final StorageEngine engine = new MemoryStorageEngine(64 << 20);
    private final VersionedStore store = new VersionedStore(engine, "a@1", CLOCK);

    @Test
    void aPageHoldsTheBucketsLiveKeysInByteOrderAfterTheToken() {
        for (String name : List.of("b", "a", "c", "\u00e9", "ab")) {
            store.write(key("users", name), null, text("v"), SIBLINGS).join();
        }
        store.write(key("other", "a"), null, text("v"), SIBLINGS).join();
        store.write(key("users2", "z"), null, text("v"), SIBLINGS).join();

        assertThat(names(store.keys("users", null, p -> true, 10, 100).keys())).containsExactly("a", "ab", "b", "c", "\u00e9");
        assertThat(names(store.keys("users", bytes("ab"), p -> true, 10, 100).keys())).containsExactly("b", "c", "\u00e9");
        assertThat(store.keys("users", null, p -> true, 10, 100).frontier()).as("looked at every key").isNull();
    }

    @Test
    void deletedAndExpiredKeysAreSkippedUntilReapedAndThenLeaveTheIndex() {
        store.write(key("b", "live"), null, text("v"), SIBLINGS).join();
        store.write(key("b", "deleted"), null, text("v"), SIBLINGS).join();
        VersionedValue tombstone = store.write(key("b", "deleted"), null, Content.tombstone(0), SIBLINGS).join();
        store.write(key("b", "expired"), null, new Content(bytes("v"), "text/plain", 0, false, 5_000), SIBLINGS).join();
        store.write(key("b", "expiring"), null, new Content(bytes("v"), "text/plain", 0, false, 50_000), SIBLINGS).join();

        assertThat(names(store.keys("b", null, p -> true, 10, 100).keys())).containsExactly("expiring", "live");

        store.reap(List.of(new KeyVersion(key("b", "deleted").encode(),
                VersionHash.of(key("b", "deleted").encode(), tombstone)))).join();
        assertThat(engine.get(Namespace.KEYS, key("b", "deleted").indexKey())).isNull();
        assertThat(engine.get(Namespace.KEYS, key("b", "live").indexKey())).isNotNull();
    }

    @Test
    void aReadStopsAtItsBudgetOrLimitAndSaysWhereSoTheNextStartsThere() {
        IntStream.range(0, 30).forEach(i -> store.write(key("b", "k%02d".formatted(i)), null, text("v"), SIBLINGS).join());

        VersionedStore.KeyPage limited = store.keys("b", null, p -> true, 5, 100);
        assertThat(names(limited.keys())).containsExactly("k00", "k01", "k02", "k03", "k04");
        assertThat(names(List.of(limited.frontier()))).containsExactly("k04");

        // only keys at even positions wanted: the budget of 6 looks at 6 entries, finds 3
        List<Long> wanted = new ArrayList<>();
        IntStream.range(0, 30).filter(i -> i % 2 == 0).forEach(i -> wanted.add(key("b", "k%02d".formatted(i)).position()));
        VersionedStore.KeyPage budgeted = store.keys("b", null, wanted::contains, 100, 6);
        assertThat(names(budgeted.keys())).containsExactly("k00", "k02", "k04");
        assertThat(names(List.of(budgeted.frontier()))).containsExactly("k05");
    }

    @Test
    void aStoreWrittenBeforeTheIndexIsIndexedOnceWhenOpened() {
        StorageEngine older = new MemoryStorageEngine(64 << 20);
        List<String> names = IntStream.range(0, 3000).mapToObj("key%04d"::formatted).toList();
        VersionedValue state = VersionedValue.empty().put(VersionedValue.empty().clock(), "a@1", text("v"), SIBLINGS);
        for (String name : names) { // as a node before the index wrote them: data only
            older.put(Namespace.DATA, key("b", name).encode(), VersionedValueCodec.encode(state)).join();
        }

        VersionedStore opened = new VersionedStore(older, "a@1", CLOCK);

        List<String> listed = new ArrayList<>();
        byte[] after = null;
        for (int pages = 0; pages < 10; pages++) {
            VersionedStore.KeyPage page = opened.keys("b", after, p -> true, 1000, 5000);
            listed.addAll(names(page.keys()));
            after = page.frontier();
            if (after == null) {
                break;
            }
        }
        assertThat(listed).isEqualTo(names);
    }

    private static StorageKey key(String bucket, String name) {
        return StorageKey.of(bucket, bytes(name));
    }

    private static Content text(String value) {
        return new Content(bytes(value), "text/plain", 0, false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(List<byte[]> keys) {
        return keys.stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList();
    }
}
