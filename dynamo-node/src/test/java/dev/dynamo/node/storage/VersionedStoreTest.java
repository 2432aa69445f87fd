package dev.dynamo.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reaping tombstones: compare-and-delete, and the counter floor that keeps reaped dots from being reissued. */
class VersionedStoreTest {

    private static final StorageKey KEY = StorageKey.of("b", "k".getBytes(StandardCharsets.UTF_8));
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochMilli(1000));
    private static final ConflictPolicy SIBLINGS = ConflictPolicy.SIBLINGS;

    private final StorageEngine coordinatorDisk = new MemoryStorageEngine(1 << 20);
    private final List<VersionedValue> changedTo = new ArrayList<>();
    private final VersionedStore coordinator = new VersionedStore(coordinatorDisk, "a@1", CLOCK,
            (key, before, after) -> changedTo.add(after));
    private final VersionedStore replica = new VersionedStore(new MemoryStorageEngine(1 << 20), "b@1", CLOCK);

    @Test
    void aWriteAfterAReapAtTheCoordinatorOnlySurvivesAReplicaStillHoldingTheTombstone() {
        replicate(coordinator.write(KEY, null, text("v1"), SIBLINGS).join());
        VersionedValue tombstone = coordinator.write(KEY, null, Content.tombstone(0), SIBLINGS).join();
        replicate(tombstone);

        assertThat(coordinator.reap(List.of(version(tombstone))).join()).extracting(VersionedStore.Reaped::key).containsExactly(KEY);
        assertThat(coordinatorDisk.get(Namespace.DATA, KEY.encode())).as("no entry left").isNull();
        assertThat(coordinator.floor()).isEqualTo(2);

        VersionedValue rewritten = coordinator.write(KEY, null, text("v2"), SIBLINGS).join();
        VersionedValue merged = replica.merge(KEY, rewritten, SIBLINGS).join();
        assertThat(merged.live()).extracting(s -> new String(s.content().value(), StandardCharsets.UTF_8))
                .containsExactly("v2");
        // the floor survives a restart
        assertThat(new VersionedStore(coordinatorDisk, "a@1", CLOCK).floor()).isEqualTo(2);
    }

    @Test
    void withoutTheFloorTheReplicaWouldDropTheNewWrite() {
        VersionedValue tombstone = VersionedValue.empty().put(VersionedValue.empty().clock(), "a@1", text("v1"), SIBLINGS)
                .put(VersionedValue.empty().clock().with("a@1", 1), "a@1", Content.tombstone(0), SIBLINGS);
        VersionedValue reissued = VersionedValue.empty().put(VersionedValue.empty().clock(), "a@1", text("v2"), SIBLINGS);
        assertThat(tombstone.merge(reissued, SIBLINGS).live()).as("the failure the floor prevents").isEmpty();
    }

    @Test
    void onlyATombstoneStillInTheExpectedStateIsReaped() {
        VersionedValue tombstone = coordinator.write(KEY, null, Content.tombstone(0), SIBLINGS).join();
        KeyVersion expected = version(tombstone);
        VersionedValue written = coordinator.write(KEY, tombstone.clock(), text("v"), SIBLINGS).join();
        assertThat(coordinator.reap(List.of(expected)).join()).as("written since").isEmpty();
        assertThat(coordinator.reap(List.of(version(written))).join()).as("live").isEmpty();
        VersionedValue deleted = coordinator.write(KEY, null, Content.tombstone(0), SIBLINGS).join();
        assertThat(coordinator.reap(List.of(new KeyVersion(KEY.encode(), version(deleted).version() + 1))).join())
                .as("another version").isEmpty();
        assertThat(coordinator.read(KEY)).isEqualTo(deleted);

        assertThat(coordinator.reap(List.of(version(deleted))).join()).extracting(VersionedStore.Reaped::key).containsExactly(KEY);
        assertThat(changedTo.getLast()).as("the listener sees the key go").isEqualTo(VersionedValue.empty());
        assertThat(coordinator.floor()).isEqualTo(3);
    }

    private void replicate(VersionedValue state) {
        replica.merge(KEY, state, SIBLINGS).join();
    }

    private static KeyVersion version(VersionedValue state) {
        return new KeyVersion(KEY.encode(), VersionHash.of(KEY.encode(), state));
    }

    private static Content text(String value) {
        return new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", 0, false);
    }
}
