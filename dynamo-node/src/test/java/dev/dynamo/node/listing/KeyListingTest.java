package dev.dynamo.node.listing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.wire.Message.KeysListed;
import dev.dynamo.core.wire.Message.KeysRead;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.bucket.ReplicationProperties;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.MemoryStorageEngine;
import dev.dynamo.node.storage.VersionedStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's merge of replicas' answers into one page, and a replica's read that yields to slow client
 * requests (the whole listing is in KeyListingSimulationTest).
 */
class KeyListingTest {

    private static final Member SELF = new Member("a", "a:1", "default");
    private static final Scheduler AT_ONCE = (delay, task) -> {
        task.run();
        return () -> { };
    };

    @Test
    void whileClientRequestsAreSlowAReplicaLooksAtFewKeysAndSaysWhereItStopped() {
        VersionedStore store = new VersionedStore(new MemoryStorageEngine(16 << 20), "a@1", InstantSource.system());
        for (int i = 0; i < 100; i++) {
            store.write(StorageKey.of("b", bytes("k%03d".formatted(i))), null,
                    new Content(bytes("v"), "text/plain", 0, false), ConflictPolicy.SIBLINGS).join();
        }
        KeysRead everything = new KeysRead("b", null, 8, List.of(0, 1, 2, 3, 4, 5, 6, 7), 200);

        KeysListed fast = listing(store, Duration.ofMillis(1)).serveRead(everything).join();
        KeysListed slow = listing(store, Duration.ofSeconds(1)).serveRead(everything).join();

        assertThat(fast.keys()).hasSize(100);
        assertThat(fast.frontier()).isNull();
        assertThat(slow.keys()).as("a few keys, not none: the listing still moves on").hasSize(16);
        assertThat(text(slow.frontier())).isEqualTo("k015");
    }

    private static KeyListing listing(VersionedStore store, Duration recentLatency) {
        ClusterView cluster = new ClusterView(SELF);
        cluster.merge(MembershipView.formed(Ring.create(8, List.of(SELF))));
        BucketPolicies policies = new BucketPolicies(new ReplicationProperties(
                new ReplicationProperties.Quorum(3, 2, 2, Duration.ofSeconds(2), Duration.ofMillis(20)), Map.of()));
        return new KeyListing(cluster, policies, store, null, null, AT_ONCE,
                new AdmissionControl("key listing", Duration.ofMillis(50), () -> recentLatency));
    }

    @Test
    void theMergeIsBoundedByTheReplicaThatStoppedFirst() {
        KeyListing.Page page = KeyListing.merge(List.of(
                new KeysListed(List.of(bytes("a"), bytes("c"), bytes("e")), bytes("e")),
                new KeysListed(List.of(bytes("b"), bytes("d")), bytes("d")),
                new KeysListed(List.of(bytes("f")), null)), 10);

        assertThat(page.keys()).extracting(KeyListingTest::text).containsExactly("a", "b", "c", "d");
        assertThat(text(page.next())).as("e and f come on the next page").isEqualTo("d");

        KeyListing.Page full = KeyListing.merge(List.of(
                new KeysListed(List.of(bytes("a"), bytes("b")), null),
                new KeysListed(List.of(bytes("c")), null)), 2);
        assertThat(full.keys()).extracting(KeyListingTest::text).containsExactly("a", "b");
        assertThat(text(full.next())).isEqualTo("b");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
