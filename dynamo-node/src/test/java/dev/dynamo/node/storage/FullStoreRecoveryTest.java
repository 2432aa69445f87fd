package dev.dynamo.node.storage;

import static dev.dynamo.node.storage.StorageEngine.Namespace.DATA;
import static dev.dynamo.node.storage.StorageTestSupport.bytes;
import static dev.dynamo.node.storage.StorageTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full store can be emptied again. The node deletes by writing a small tombstone over a value,
 * so on a full store a write that shrinks what a key holds must still run, and the room it frees
 * must take new writes. (H2 once counted every write as pure growth, so once its file had passed
 * the limit it refused even tombstones: a full H2 store could not be emptied through the API.)
 */
class FullStoreRecoveryTest {

    private static final long MAX_SIZE = 1L << 20;
    private static final int MAX_PUTS = 64;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StorageEngines.LMDB, StorageEngines.H2})
    void tombstonesOverTheValuesOfAFullStoreRunAndFreeRoomForNewValues(String name) {
        try (StorageEngine engine = open(name)) {
            byte[] value = randomValue();
            int stored = fill(engine, value);
            byte[] tombstone = bytes("tombstone");
            for (int i = 0; i < stored; i++) {
                assertThat(failureOf(engine.put(DATA, bytes("v" + i), tombstone))).as("tombstone over v%d", i).isNull();
                assertThat(engine.get(DATA, bytes("v" + i))).isEqualTo(tombstone);
            }
            assertThat(failureOf(engine.put(DATA, bytes("after"), value))).as("a new value once room was freed").isNull();
            assertThat(engine.get(DATA, bytes("after"))).isEqualTo(value);
        }
    }

    /**
     * H2's size check is logical, so it can net out the value a write replaces. (LMDB cannot do
     * the same: it copies a large value's pages on write, so a same-sized replacement needs that
     * much free map, whatever the sizes.)
     */
    @Test
    void h2TakesAWriteThatShrinksAValueOnAFullStore() {
        try (StorageEngine engine = open(StorageEngines.H2)) {
            byte[] value = randomValue();
            fill(engine, value);
            // one byte smaller than the write just refused: let in only by a check that nets out what it replaces
            byte[] smaller = Arrays.copyOf(value, value.length - 1);
            assertThat(failureOf(engine.put(DATA, bytes("v0"), smaller))).isNull();
            assertThat(engine.get(DATA, bytes("v0"))).isEqualTo(smaller);
        }
    }

    private StorageEngine open(String name) {
        return StorageEngines.open(name, directory, MAX_SIZE, SyncPolicy.ALWAYS, Duration.ofSeconds(1));
    }

    private static byte[] randomValue() {
        byte[] value = new byte[64 << 10];
        new Random(7).nextBytes(value);
        return value;
    }

    /** Puts {@code value} under v0, v1, ... until the store refuses one; returns how many it took. */
    private static int fill(StorageEngine engine, byte[] value) {
        int stored = 0;
        Throwable failure = null;
        while (failure == null && stored < MAX_PUTS) {
            failure = failureOf(engine.put(DATA, bytes("v" + stored), value));
            stored += failure == null ? 1 : 0;
        }
        assertThat(failure).as("a put once full").isInstanceOf(StorageFullException.class);
        assertThat(stored).isPositive();
        return stored;
    }
}
