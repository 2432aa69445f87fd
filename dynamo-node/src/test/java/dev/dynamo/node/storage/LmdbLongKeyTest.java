package dev.dynamo.node.storage;

import static dev.dynamo.node.storage.StorageTestSupport.await;
import static dev.dynamo.node.storage.StorageTestSupport.hex;
import static dev.dynamo.node.storage.StorageTestSupport.keys;
import static dev.dynamo.node.storage.StorageTestSupport.valueOf;
import static dev.dynamo.node.storage.StorageEngine.Namespace.DATA;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long keys whose stored prefix and hash collide still stay apart, found, and in order. */
class LmdbLongKeyTest {

    @TempDir
    Path directory;

    @Test
    void collidingLongKeysTakeSeparateSlots() {
        try (StorageEngine engine = new LmdbStorageEngine(directory, 64L << 20, SyncPolicy.NEVER, Duration.ofSeconds(1), key -> 42L)) {
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 6; i++) { // same first 502 bytes, same (forced) hash
                byte[] key = new byte[LmdbTable.PREFIX + 1 + i];
                Arrays.fill(key, (byte) 0x81);
                key[key.length - 1] = (byte) (0xf0 - i);
                keys.add(key);
            }
            keys.forEach(key -> await(engine.put(DATA, key, valueOf(key))));
            keys.forEach(key -> assertThat(engine.get(DATA, key)).isEqualTo(valueOf(key)));
            assertThat(keys(engine, DATA, new byte[0], null)).containsExactlyElementsOf(hex(keys));

            await(engine.delete(DATA, keys.get(2))); // frees a slot in the middle of the run
            byte[] newcomer = Arrays.copyOf(keys.get(0), LmdbTable.PREFIX + 40);
            await(engine.put(DATA, newcomer, valueOf(newcomer)));
            await(engine.put(DATA, keys.get(4), new byte[] {7})); // overwrite, not a second slot

            assertThat(engine.get(DATA, keys.get(2))).isNull();
            assertThat(engine.get(DATA, newcomer)).isEqualTo(valueOf(newcomer));
            assertThat(engine.get(DATA, keys.get(4))).containsExactly(7);
            List<byte[]> expected = new ArrayList<>(keys);
            expected.remove(2);
            expected.add(newcomer);
            assertThat(keys(engine, DATA, new byte[0], null)).containsExactlyElementsOf(hex(expected));
            assertThat(keys(engine, DATA, keys.get(5), keys.get(1))).containsExactlyElementsOf(
                    hex(List.of(keys.get(5), keys.get(4), keys.get(3))));
        }
    }
}
