package dev.dynamo.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random histories checked against oracles: no write is ever lost unless a client replaced it. */
class NoLostUpdateTest {

    static LongStream seeds() {
        return LongStream.range(0, MergeLawsTest.SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void putFollowsTheRules(long seed) {
        for (ConflictPolicy policy : ConflictPolicy.values()) {
            for (History.Put p : History.generate(seed, policy).puts) {
                long counter = Math.max(p.before().clock().get(p.actor()), p.context().get(p.actor())) + 1;
                Sibling written = new Sibling(new Dot(p.actor(), counter), p.content());
                assertThat(p.after().clock()).as("seed %d %s", seed, policy)
                        .isEqualTo(p.before().clock().merge(p.context()).with(p.actor(), counter));
                assertThat(p.after().clock().descends(p.before().clock())).as("seed %d", seed).isTrue();
                assertThat(p.after().clock().descends(p.context())).as("seed %d", seed).isTrue();
                // lww also replaces the siblings older than the write
                List<Sibling> expected = new ArrayList<>(p.before().siblings().stream()
                        .filter(s -> !p.context().covers(s.dot()))
                        .filter(s -> policy == ConflictPolicy.SIBLINGS || newer(s, written)).toList());
                expected.add(written);
                expected.sort(Comparator.comparing(Sibling::dot));
                assertThat(p.after().siblings()).as("seed %d %s", seed, policy).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concurrentWritesAreBothKept(long seed) {
        History h = History.generate(seed, ConflictPolicy.SIBLINGS);
        VersionVector context = h.randomContext();
        // Same context at two replicas, and twice at the same replica: none has seen the others.
        h.put(0, context, h.randomContent());
        h.put(1, context, h.randomContent());
        h.put(1, context, h.randomContent());
        List<Dot> concurrent = h.writes.subList(h.writes.size() - 3, h.writes.size()).stream()
                .map(History.Write::dot).toList();
        assertThat(h.fullyMerged().siblings()).as("seed %d", seed).extracting(Sibling::dot)
                .containsAll(concurrent);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyWriteIsKeptOrWasReplacedByAKeptWrite(long seed) {
        History h = History.generate(seed, ConflictPolicy.SIBLINGS);
        VersionedValue full = h.fullyMerged();
        Map<Dot, Boolean> accounted = new HashMap<>();
        for (History.Write w : h.writes) {
            assertThat(accounted(w, h, full, accounted)).as("seed %d: write %s lost", seed, w.dot()).isTrue();
        }
        // And nothing else: the siblings are exactly the writes no client has seen and replaced.
        List<Sibling> unreplaced = h.writes.stream()
                .filter(w -> h.writes.stream().noneMatch(later -> later.context().covers(w.dot())))
                .map(w -> new Sibling(w.dot(), w.content()))
                .sorted(Comparator.comparing(Sibling::dot))
                .toList();
        assertThat(full.siblings()).as("seed %d", seed).isEqualTo(unreplaced);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lwwShowsTheNewestWriteNoLaterWriteReplaced(long seed) {
        History h = History.generate(seed, ConflictPolicy.LWW);
        VersionedValue full = h.fullyMerged();
        // causally replaced writes are gone, whatever their timestamps
        for (History.Write w : h.writes) {
            if (h.writes.stream().anyMatch(later -> later.context().covers(w.dot()))) {
                assertThat(full.siblings()).as("seed %d: %s was replaced", seed, w.dot())
                        .noneMatch(s -> s.dot().equals(w.dot()));
            }
        }
        List<Sibling> newest = full.siblings().stream().reduce((x, y) -> newer(x, y) ? x : y).stream().toList();
        assertThat(full.resolved(ConflictPolicy.LWW).siblings()).as("seed %d", seed).isEqualTo(newest);
    }

    /** Kept in the final state, or covered by the context of a later write that is itself accounted for. */
    private static boolean accounted(History.Write w, History h, VersionedValue full, Map<Dot, Boolean> memo) {
        Boolean known = memo.get(w.dot());
        if (known != null) {
            return known;
        }
        boolean kept = full.siblings().contains(new Sibling(w.dot(), w.content()))
                || h.writes.stream().anyMatch(later -> later.context().covers(w.dot())
                        && accounted(later, h, full, memo));
        memo.put(w.dot(), kept);
        return kept;
    }

    private static boolean newer(Sibling x, Sibling y) {
        int byTime = Long.compare(x.content().timestamp(), y.content().timestamp());
        return byTime != 0 ? byTime > 0 : x.dot().compareTo(y.dot()) > 0;
    }
}
