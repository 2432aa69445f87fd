package dev.dynamo.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exhaustive checks over small domains: every vector over two actors with counters 0..3, and three with 0..2. */
class VersionVectorLawsTest {

    private static final List<List<VersionVector>> DOMAINS =
            List.of(all(List.of("x", "y"), 3), all(List.of("x", "y", "z"), 2));

    @Test
    void mergeIsTheLeastUpperBound() {
        for (List<VersionVector> domain : DOMAINS) {
            for (VersionVector a : domain) {
                assertThat(a.merge(a)).isEqualTo(a);
                for (VersionVector b : domain) {
                    VersionVector m = a.merge(b);
                    assertThat(m).as("%s + %s", a, b).isEqualTo(b.merge(a));
                    assertThat(m.descends(a) && m.descends(b)).as("%s + %s", a, b).isTrue();
                    for (VersionVector c : domain) {
                        assertThat(m.merge(c)).isEqualTo(a.merge(b.merge(c)));
                        if (c.descends(a) && c.descends(b)) {
                            assertThat(c.descends(m)).as("%s above %s and %s", c, a, b).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void descendsIsAPartialOrderMatchingCovers() {
        for (List<VersionVector> domain : DOMAINS) {
            List<Dot> dots = dots(domain.getLast());
            for (VersionVector a : domain) {
                assertThat(a.descends(a)).isTrue();
                assertThat(a.descends(VersionVector.empty())).isTrue();
                for (VersionVector b : domain) {
                    assertThat(a.descends(b) && b.descends(a)).as("%s, %s", a, b).isEqualTo(a.equals(b));
                    boolean coversAllOfB = dots.stream().filter(b::covers).allMatch(a::covers);
                    assertThat(a.descends(b)).as("%s >= %s", a, b).isEqualTo(coversAllOfB);
                    for (VersionVector c : domain) {
                        if (a.descends(b) && b.descends(c)) {
                            assertThat(a.descends(c)).as("%s >= %s >= %s", a, b, c).isTrue();
                        }
                    }
                }
                for (Dot dot : dots) {
                    assertThat(a.covers(dot)).isEqualTo(dot.counter() <= a.get(dot.actor()));
                }
            }
        }
    }

    @Test
    void withSetsOneCounterAndZeroRemovesIt() {
        for (VersionVector a : DOMAINS.getFirst()) {
            assertThat(a.with("x", a.get("x"))).isEqualTo(a);
            assertThat(a.with("x", 0).entries()).doesNotContainKey("x");
            assertThat(a.with("w", 7).get("w")).isEqualTo(7);
            assertThat(List.copyOf(a.with("w", 7).entries().keySet())).isSorted();
            assertThat(VersionVector.of(a.entries())).isEqualTo(a).hasSameHashCodeAs(a);
        }
    }

    @Test
    void ofDropsZerosAndRejectsNonsense() {
        assertThat(VersionVector.of(Map.of("x", 0L))).isEqualTo(VersionVector.empty());
        assertThat(VersionVector.empty().get("anyone")).isZero();
        assertThatThrownBy(() -> VersionVector.of(Map.of("x", -1L))).hasMessageContaining("negative");
        assertThatThrownBy(() -> VersionVector.of(Map.of("", 1L))).hasMessageContaining("empty");
        assertThatThrownBy(() -> VersionVector.empty().entries().put("x", 1L))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new Dot("x", 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Dot("", 1)).hasMessageContaining("empty");
    }

    /** Every vector over {@code actors} with counters 0..max; the last one is the top. */
    private static List<VersionVector> all(List<String> actors, int max) {
        List<VersionVector> vectors = new ArrayList<>(List.of(VersionVector.empty()));
        for (String actor : actors) {
            List<VersionVector> next = new ArrayList<>();
            for (VersionVector v : vectors) {
                for (long counter = 0; counter <= max; counter++) {
                    Map<String, Long> entries = new HashMap<>(v.entries());
                    entries.put(actor, counter);
                    next.add(VersionVector.of(entries));
                }
            }
            vectors = next;
        }
        return vectors;
    }

    private static List<Dot> dots(VersionVector top) {
        List<Dot> dots = new ArrayList<>();
        top.entries().forEach((actor, max) -> {
            for (long counter = 1; counter <= max; counter++) {
                dots.add(new Dot(actor, counter));
            }
        });
        return dots;
    }
}
