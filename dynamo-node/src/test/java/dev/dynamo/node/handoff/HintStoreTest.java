package dev.dynamo.node.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.storage.MemoryStorageEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HintStoreTest {

    private static final ConflictPolicy SIBLINGS = ConflictPolicy.SIBLINGS;

    private final MemoryStorageEngine engine = new MemoryStorageEngine(64L << 20);
    private final HintStore hints = new HintStore(engine, InstantSource.system(), System::nanoTime, new DynamoMetrics(new SimpleMeterRegistry()));

    @AfterEach
    void close() {
        engine.close();
    }

    private static StorageKey key(String key) {
        return StorageKey.of("b", key.getBytes(StandardCharsets.UTF_8));
    }

    private static VersionedValue write(VersionedValue base, String actor, String value) {
        return base.put(base.clock(), actor, new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", 1, false),
                SIBLINGS);
    }

    @Test
    void keepsHintsPerOwnerAndListsTheOwners() {
        VersionedValue v = write(VersionedValue.empty(), "x@1", "v");
        hints.store("node-b", key("k1"), v, SIBLINGS).join();
        hints.store("node-b", key("k2"), v, SIBLINGS).join();
        hints.store("node-a", key("k1"), v, SIBLINGS).join();
        hints.store("node-bb", key("k3"), v, SIBLINGS).join();

        assertEquals(List.of("node-a", "node-b", "node-bb"), hints.owners());
        assertEquals(2, hints.forOwner("node-b", 10).size());
        assertEquals(1, hints.forOwner("node-b", 1).size());
        assertEquals(2, hints.count("node-b", 10));
        assertEquals(1, hints.count("node-b", 1), "counting stops at the limit");
        assertEquals(0, hints.count("node-c", 10));
        assertEquals(v, hints.get("node-a", key("k1")));
        assertEquals(VersionedValue.empty(), hints.get("node-a", key("k2")));
    }

    @Test
    void aSecondHintForTheSameKeyMergesIntoTheFirst() {
        VersionedValue first = write(VersionedValue.empty(), "x@1", "one");
        VersionedValue concurrent = write(VersionedValue.empty(), "y@1", "two");
        hints.store("node-b", key("k"), first, SIBLINGS).join();
        hints.store("node-b", key("k"), concurrent, SIBLINGS).join();
        assertEquals(first.merge(concurrent, SIBLINGS), hints.get("node-b", key("k")));
    }

    @Test
    void removesAHintOnlyWhenItIsStillWhatWasDelivered() {
        VersionedValue delivered = write(VersionedValue.empty(), "x@1", "one");
        hints.store("node-b", key("k"), delivered, SIBLINGS).join();
        VersionedValue grown = write(delivered, "x@1", "two");
        hints.store("node-b", key("k"), grown, SIBLINGS).join();

        assertFalse(hints.remove("node-b", key("k"), delivered).join());
        assertEquals(grown, hints.get("node-b", key("k")));
        assertTrue(hints.remove("node-b", key("k"), grown).join());
        assertEquals(List.of(), hints.owners());
    }

    @Test
    void hintsLiveApartFromData() {
        hints.store("node-b", key("k"), write(VersionedValue.empty(), "x@1", "v"), SIBLINGS).join();
        engine.scan(dev.dynamo.node.storage.StorageEngine.Namespace.DATA, new byte[] {0}, null, (k, v) -> {
            throw new AssertionError("a hint was stored as data");
        });
    }
}
