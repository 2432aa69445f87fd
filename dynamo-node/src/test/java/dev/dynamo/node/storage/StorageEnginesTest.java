package dev.dynamo.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageEnginesTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @CsvSource({"lmdb, LmdbStorageEngine, true", "H2, H2StorageEngine, true", "Memory, MemoryStorageEngine, false"})
    void opensTheNamedEngineCreatingItsDirectory(String name, String type, boolean usesDirectory) {
        Path path = directory.resolve("not/yet/there");
        try (StorageEngine engine = StorageEngines.open(name, path, 16L << 20, SyncPolicy.INTERVAL, Duration.ofSeconds(1))) {
            assertThat(engine.getClass().getSimpleName()).isEqualTo(type);
        }
        assertThat(path.toFile().isDirectory()).isEqualTo(usesDirectory);
    }

    @Test
    void rejectsAnUnknownNameListingTheValidOnes() {
        assertThatThrownBy(() -> StorageEngines.open("rocksdb", directory, 1 << 20, SyncPolicy.NEVER, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown storage engine 'rocksdb'; valid engines: lmdb, h2, memory");
    }
}
