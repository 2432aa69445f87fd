package dev.dynamo.node.storage;

import java.nio.file.Path;
import java.time.Duration;

class LmdbStorageEngineTest extends AbstractStorageEngineContractTest {

    @Override
    StorageEngine open(Path directory, long maxSize, SyncPolicy sync) {
        return new LmdbStorageEngine(directory, maxSize, sync, Duration.ofMillis(20));
    }
}
