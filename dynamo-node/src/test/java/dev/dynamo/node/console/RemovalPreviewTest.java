package dev.dynamo.node.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingChange;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RemovalPreviewTest {

    private static final int PARTITIONS = 64;
    private static final int N = 3;
    private final Ring ring = Ring.create(PARTITIONS, IntStream.rangeClosed(1, 4)
            .mapToObj(i -> new Member("node" + i, "127.0.0." + i + ":7000", "zone-a")).toList());

    @Test
    void countsThePartitionsAndReplicasThatMoveAndEstimatesTheirBytes() {
        RemovalPreview preview = RemovalPreview.of(ring, "node4", N, "node1", 48_000);

        int owned = ring.ownedCounts().get("node4");
        assertThat(preview.partitionsOwned()).isEqualTo(owned).isPositive();
        assertThat(preview.partitionsChangingOwner()).as("minimal movement: only its partitions").isEqualTo(owned);
        RingChange change = new RingChange(ring, ring.withoutMember("node4"));
        int copies = IntStream.range(0, PARTITIONS).map(p -> change.pendingReplicas(p, N).size()).sum();
        assertThat(preview.replicaCopies()).isEqualTo(copies).isGreaterThanOrEqualTo(owned);
        // with 4 nodes and N = 3, node1 replicates some but not all partitions
        long replicatedByNode1 = IntStream.range(0, PARTITIONS).filter(p -> ring
                .preferenceList(ring.partitionStart(p), N).stream().anyMatch(m -> m.id().equals("node1"))).count();
        assertThat(replicatedByNode1).isBetween(1L, PARTITIONS - 1L);
        assertThat(preview.bytesPerReplica()).isEqualTo(48_000 / replicatedByNode1);
        assertThat(preview.estimatedBytes()).isEqualTo(copies * preview.bytesPerReplica());
    }

    @Test
    void aMemberNotInTheRingYetMovesNothing() {
        RemovalPreview preview = RemovalPreview.of(ring, "node5", N, "node1", 1_000);
        assertThat(preview).extracting(RemovalPreview::partitionsOwned, RemovalPreview::partitionsChangingOwner,
                RemovalPreview::replicaCopies, RemovalPreview::estimatedBytes).containsExactly(0, 0, 0, 0L);
    }

    @Test
    void theSizeIsUnknownWhenThisNodeReplicatesNothing() {
        RemovalPreview preview = RemovalPreview.of(ring, "node4", N, "node9", 1_000);
        assertThat(preview.bytesPerReplica()).isNull();
        assertThat(preview.estimatedBytes()).isNull();
        assertThat(preview.replicaCopies()).isPositive();
    }

    @Test
    void theLastMemberCannotBeRemoved() {
        Ring alone = Ring.create(PARTITIONS, List.of(new Member("node1", "127.0.0.1:7000", "zone-a")));
        assertThatIllegalArgumentException().isThrownBy(() -> RemovalPreview.of(alone, "node1", N, "node1", 0))
                .withMessageContaining("last member");
    }
}
