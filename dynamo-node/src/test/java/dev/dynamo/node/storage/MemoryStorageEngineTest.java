package dev.dynamo.node.storage;

import java.nio.file.Path;

class MemoryStorageEngineTest extends AbstractStorageEngineContractTest {

    @Override
    StorageEngine open(Path directory, long maxSize, SyncPolicy sync) {
        return new MemoryStorageEngine(maxSize);
    }

    @Override
    boolean durable() {
        return false;
    }
}
