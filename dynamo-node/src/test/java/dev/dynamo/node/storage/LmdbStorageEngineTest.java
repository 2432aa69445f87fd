package dev.dynamo.node.storage;

import static dev.dynamo.node.storage.StorageEngine.Namespace.DATA;
import static dev.dynamo.node.storage.StorageTestSupport.await;
import static dev.dynamo.node.storage.StorageTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LmdbStorageEngineTest extends AbstractStorageEngineContractTest {

    @Override
    StorageEngine open(Path directory, long maxSize, SyncPolicy sync) {
        return new LmdbStorageEngine(directory, maxSize, sync, Duration.ofMillis(20));
    }

    /**
     * LMDB never shrinks its file: what reaping (of tombstones or expired values) gives back is pages for the
     * next writes to reuse. Writing as much again after removing everything grew the store by about a third
     * here (one transaction per write: LMDB reuses a page only a transaction or two after it was freed, and
     * the tree and its free list take pages of their own), not by the whole first amount.
     */
    @Test
    void pagesFreedByRemovalsAreReusedSoWritingAsMuchAgainGrowsTheStoreByFarLess() {
        StorageEngine engine = engine(ROOMY, SyncPolicy.NEVER);
        byte[] value = new byte[1000];
        writeAll(engine, "first-", value);
        long full = engine.sizeInBytes();
        for (int i = 0; i < 5_000; i++) {
            await(engine.delete(DATA, bytes("first-" + i)));
        }
        writeAll(engine, "second-", value);
        assertThat(engine.sizeInBytes()).isLessThan(full + full / 2);
    }

    private static void writeAll(StorageEngine engine, String prefix, byte[] value) {
        for (int i = 0; i < 5_000; i++) {
            await(engine.put(DATA, bytes(prefix + i), value));
        }
    }
}
