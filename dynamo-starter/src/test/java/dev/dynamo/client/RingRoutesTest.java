package dev.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.ClientMessage.RingState;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RingRoutesTest {

    private static final Ring RING = Ring.create(64, IntStream.rangeClosed(1, 5)
            .mapToObj(i -> new Member("node-" + i, "127.0.0." + i + ":7070", "zone")).toList());
    private static final RingRoutes ROUTES = new RingRoutes(new RingState(RING, 3, Map.of("wide", 5), 1 << 20));
    private static final byte[] KEY = "alice".getBytes(StandardCharsets.UTF_8);

    private static List<String> preferenceList(String bucket, int n) {
        return RING.preferenceList(StorageKey.of(bucket, KEY).position(), n).stream().map(Member::address).toList();
    }

    @Test
    void theKeysReplicasComeFirstInPreferenceOrderThenEveryOtherNode() {
        List<String> route = ROUTES.forKey("carts", KEY, 0);
        assertThat(route.subList(0, 3)).isEqualTo(preferenceList("carts", 3));
        assertThat(route).hasSize(5).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(RING.members().stream().map(Member::address).toList());
    }

    @Test
    void requestsSpreadOverTheKeysReplicasOnlyAndKeepTheOthersAsFallback() {
        Set<String> firsts = new HashSet<>();
        for (int turn = 0; turn < 6; turn++) {
            List<String> route = ROUTES.forKey("carts", KEY, turn);
            firsts.add(route.getFirst());
            assertThat(route.subList(0, 3)).containsExactlyInAnyOrderElementsOf(preferenceList("carts", 3));
            assertThat(route.subList(3, 5)).isEqualTo(ROUTES.forKey("carts", KEY, 0).subList(3, 5));
        }
        assertThat(firsts).containsExactlyInAnyOrderElementsOf(preferenceList("carts", 3));
    }

    @Test
    void aBucketsOwnReplicaCountSetsTheReplicasReadsSpreadOver() {
        Set<String> firsts = new HashSet<>();
        for (int turn = 0; turn < 5; turn++) {
            firsts.add(ROUTES.forKey("wide", KEY, turn).getFirst());
        }
        assertThat(firsts).hasSize(5);
        assertThat(ROUTES.replicas("wide")).isEqualTo(5);
        assertThat(ROUTES.replicas("carts")).isEqualTo(3);
    }

    @Test
    void rotationTurnsOnlyThePrefixWhateverTheTurn() {
        List<String> nodes = List.of("a", "b", "c", "d");
        assertThat(RingRoutes.rotated(nodes, 3, 1)).containsExactly("b", "c", "a", "d");
        assertThat(RingRoutes.rotated(nodes, 3, -1)).containsExactly("c", "a", "b", "d");
        assertThat(RingRoutes.rotated(nodes, 1, 5)).isEqualTo(nodes);
        assertThat(RingRoutes.rotated(List.of(), 0, 3)).isEmpty();
    }
}
