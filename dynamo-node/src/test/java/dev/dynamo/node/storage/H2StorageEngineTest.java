package dev.dynamo.node.storage;

import java.nio.file.Path;
import java.time.Duration;

class H2StorageEngineTest extends AbstractStorageEngineContractTest {

    @Override
    StorageEngine open(Path directory, long maxSize, SyncPolicy sync) {
        return new H2StorageEngine(directory, maxSize, sync, Duration.ofMillis(20));
    }
}
