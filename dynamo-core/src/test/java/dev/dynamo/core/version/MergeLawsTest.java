package dev.dynamo.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Merge is a join: replicas that exchange states in any order, any number of times, agree. */
class MergeLawsTest {

    static final int SEEDS = 200;

    static Stream<Arguments> histories() {
        return Stream.of(ConflictPolicy.values())
                .flatMap(policy -> LongStream.range(0, SEEDS).mapToObj(seed -> Arguments.of(seed, policy)));
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("histories")
    void mergeIsCommutativeAssociativeAndIdempotent(long seed, ConflictPolicy policy) {
        History h = History.generate(seed, policy);
        for (int i = 0; i < 20; i++) {
            VersionedValue x = h.randomState();
            VersionedValue y = h.randomState();
            VersionedValue z = h.randomState();
            assertThat(x.merge(y, policy)).as("seed %d: commutative", seed).isEqualTo(y.merge(x, policy));
            assertThat(x.merge(y, policy).merge(z, policy)).as("seed %d: associative", seed)
                    .isEqualTo(x.merge(y.merge(z, policy), policy));
            assertThat(x.merge(x, policy)).as("seed %d: idempotent", seed).isEqualTo(x);
        }
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("histories")
    void stateMergedWithDescendantIsTheDescendant(long seed, ConflictPolicy policy) {
        History h = History.generate(seed, policy);
        for (List<VersionedValue> states : h.statesByReplica) {
            for (int later = 0; later < states.size(); later++) {
                VersionedValue descendant = states.get(later);
                VersionedValue earlier = states.get(h.random().nextInt(later + 1));
                assertThat(earlier.merge(descendant, policy)).as("seed %d", seed).isEqualTo(descendant);
                assertThat(descendant.merge(earlier, policy)).as("seed %d", seed).isEqualTo(descendant);
                assertThat(VersionedValue.empty().merge(descendant, policy)).as("seed %d", seed).isEqualTo(descendant);
            }
        }
        // Every state ever held is in the past of the fully merged state.
        VersionedValue full = h.fullyMerged();
        for (VersionedValue state : h.allStates) {
            assertThat(state.merge(full, policy)).as("seed %d: %s", seed, state).isEqualTo(full);
        }
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("histories")
    void everyMergeOrderConverges(long seed, ConflictPolicy policy) {
        History h = History.generate(seed, policy);
        VersionedValue[] r = h.replicas;
        VersionedValue expected = h.fullyMerged();
        assertThat(r[2].merge(r[0], policy).merge(r[1], policy)).as("seed %d", seed).isEqualTo(expected);
        assertThat(r[1].merge(r[2].merge(r[0], policy), policy)).as("seed %d", seed).isEqualTo(expected);
        assertThat(expected.clock()).as("seed %d", seed)
                .isEqualTo(r[0].clock().merge(r[1].clock()).merge(r[2].clock()));
    }
}
