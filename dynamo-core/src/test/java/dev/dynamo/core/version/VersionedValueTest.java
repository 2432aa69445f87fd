package dev.dynamo.core.version;

import static dev.dynamo.core.version.ConflictPolicy.LWW;
import static dev.dynamo.core.version.ConflictPolicy.SIBLINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The behaviours clients rely on, one scenario each. */
class VersionedValueTest {

    private static final VersionVector NONE = VersionVector.empty();

    @Test
    void neverWrittenIsAbsent() {
        assertThat(VersionedValue.empty().isAbsent()).isTrue();
        assertThat(VersionedValue.empty().siblings()).isEmpty();
        assertThat(VersionedValue.empty().clock()).isEqualTo(NONE);
    }

    @Test
    void sameNodeSameStaleContextMakesTwoSiblings() {
        VersionedValue v1 = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS);
        VersionVector read = v1.clock();
        VersionedValue both = v1.put(read, "a", text("v2", 2), SIBLINGS).put(read, "a", text("v3", 3), SIBLINGS);
        assertThat(values(both)).containsExactly("v2", "v3");
        assertThat(both.siblings()).extracting(Sibling::dot).containsExactly(new Dot("a", 2), new Dot("a", 3));
    }

    @Test
    void readThenWriteReplacesAll() {
        VersionedValue two = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS)
                .put(NONE, "b", text("v2", 2), SIBLINGS);
        VersionedValue one = two.put(two.clock(), "a", text("v3", 3), SIBLINGS);
        assertThat(values(one)).containsExactly("v3");
        assertThat(one.clock()).isEqualTo(VersionVector.empty().with("a", 2).with("b", 1));
    }

    @Test
    void writeWithEmptyContextAddsSiblingAlongside() {
        VersionedValue v1 = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS);
        assertThat(values(v1.put(NONE, "a", text("v2", 2), SIBLINGS))).containsExactly("v1", "v2");
    }

    @Test
    void deleteWithContextLeavesTombstoneOnly() {
        VersionedValue two = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS)
                .put(NONE, "b", text("v2", 2), SIBLINGS);
        VersionedValue deleted = two.put(two.clock(), "a", Content.tombstone(3), SIBLINGS);
        assertThat(deleted.siblings()).containsExactly(new Sibling(new Dot("a", 2), Content.tombstone(3)));
        assertThat(deleted.live()).isEmpty();
        assertThat(deleted.isAbsent()).isTrue();
        assertThat(deleted.isTombstoned()).isTrue();
        assertThat(VersionedValue.empty().isTombstoned()).as("never written").isFalse();
        assertThat(two.isTombstoned()).isFalse();
    }

    @Test
    void concurrentDeleteAndPutKeepsBoth() {
        VersionedValue replicaA = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS);
        VersionedValue replicaB = VersionedValue.empty().merge(replicaA, SIBLINGS);
        VersionVector read = replicaA.clock();
        VersionedValue deletedAtA = replicaA.put(read, "a", Content.tombstone(2), SIBLINGS);
        VersionedValue writtenAtB = replicaB.put(read, "b", text("v2", 2), SIBLINGS);
        VersionedValue merged = deletedAtA.merge(writtenAtB, SIBLINGS);
        assertThat(merged.siblings()).extracting(s -> s.content().tombstone()).containsExactly(true, false);
        assertThat(values(merged)).containsExactly("v2");
        assertThat(merged.isAbsent()).isFalse();
    }

    @Test
    void lwwShowsTheNewestOfConcurrentWrites() {
        VersionedValue atA = VersionedValue.empty().put(NONE, "a", text("a", 100), LWW);
        VersionedValue atB = VersionedValue.empty().put(NONE, "b", text("b", 200), LWW);
        assertThat(values(atA.merge(atB, LWW).resolved(LWW))).containsExactly("b");
        assertThat(values(atB.merge(atA, LWW).resolved(LWW))).containsExactly("b");
        assertThat(atA.merge(atB, LWW).resolved(LWW).clock()).as("the context covers both")
                .isEqualTo(atA.clock().merge(atB.clock()));
        // Equal timestamps: the greater dot wins everywhere.
        VersionedValue tieAtB = VersionedValue.empty().put(NONE, "b", text("b", 100), LWW);
        assertThat(values(atA.merge(tieAtB, LWW).resolved(LWW))).containsExactly("b");
    }

    @Test
    void lwwWriteThatSawANewerTimestampStillReplacesIt() {
        // a clock ahead stamped the value read; the write made after reading it comes from a clock behind
        VersionedValue ahead = VersionedValue.empty().put(NONE, "a", text("read", 100), LWW);
        VersionedValue written = ahead.put(ahead.clock(), "b", text("written after", 50), LWW);
        assertThat(values(written)).containsExactly("written after");
        assertThat(values(ahead.merge(written, LWW).resolved(LWW))).containsExactly("written after");
    }

    @Test
    void lwwBlindWriteReplacesOlderWritesOnlyAndLosesToANewerOne() {
        VersionedValue old = VersionedValue.empty().put(NONE, "a", text("old", 10), LWW);
        assertThat(values(old.put(NONE, "b", text("blind", 20), LWW))).containsExactly("blind");
        VersionedValue newer = VersionedValue.empty().put(NONE, "a", text("newer", 30), LWW);
        VersionedValue both = newer.put(NONE, "b", text("blind", 20), LWW);
        assertThat(values(both)).as("concurrent: both kept").containsExactlyInAnyOrder("newer", "blind");
        assertThat(values(both.resolved(LWW))).containsExactly("newer");
    }

    @Test
    void supersededSiblingDoesNotResurrectOnMerge() {
        VersionedValue replicaA = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS);
        // Read from A, write through C, which never held v1: the context alone says v1 was seen.
        VersionedValue replicaC = VersionedValue.empty().put(replicaA.clock(), "c", text("v2", 2), SIBLINGS);
        assertThat(values(replicaA.merge(replicaC, SIBLINGS))).containsExactly("v2");
        assertThat(values(replicaC.merge(replicaA, SIBLINGS))).containsExactly("v2");
    }

    @Test
    void contextCounterPreventsDotReuseAfterReplicaLosesItsState() {
        VersionedValue before = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS);
        // Replica a comes back empty; a client still holds a context that saw a:1.
        VersionedValue rebuilt = VersionedValue.empty().put(before.clock(), "a", text("v2", 2), SIBLINGS);
        assertThat(rebuilt.siblings()).extracting(Sibling::dot).containsExactly(new Dot("a", 2));
        assertThat(values(before.merge(rebuilt, SIBLINGS))).containsExactly("v2");
    }

    @Test
    void contentComparesValuesByBytes() {
        assertThat(text("x", 1)).isEqualTo(text("x", 1)).hasSameHashCodeAs(text("x", 1));
        assertThat(text("x", 1)).isNotEqualTo(text("y", 1)).isNotEqualTo(text("x", 2));
        assertThat(new Content(new byte[1 << 20], null, 0, false).toString())
                .contains("1048576 bytes").hasSizeLessThan(80);
        assertThat(Content.tombstone(5).tombstone()).isTrue();
        assertThat(Content.tombstone(5).value()).isEmpty();
    }

    @Test
    void aFloorRaisesTheNewDotButSupersedesNothingTheWriterHasNotSeen() {
        VersionedValue two = VersionedValue.empty().put(NONE, "a", text("v1", 1), SIBLINGS)
                .put(NONE, "a", text("v2", 2), SIBLINGS);
        VersionVector sawFirst = VersionVector.empty().with("a", 1);
        VersionedValue written = two.put(sawFirst, "a", 10, text("v3", 3), SIBLINGS);
        assertThat(written.siblings()).extracting(Sibling::dot).containsExactly(new Dot("a", 2), new Dot("a", 11));
        assertThat(written.clock()).isEqualTo(VersionVector.empty().with("a", 11));
        // a floor below what the key has seen changes nothing
        assertThat(two.put(NONE, "a", 1, text("v3", 3), SIBLINGS)).isEqualTo(two.put(NONE, "a", text("v3", 3), SIBLINGS));
    }

    @Test
    void theNewestTimestampIsOverEverySiblingTombstonesIncluded() {
        VersionedValue two = VersionedValue.empty().put(NONE, "a", text("v1", 7), SIBLINGS)
                .put(NONE, "b", Content.tombstone(9), SIBLINGS);
        assertThat(two.newestTimestamp()).hasValue(9);
        assertThat(VersionedValue.empty().newestTimestamp()).isEmpty();
    }

    @Test
    void anExpiredSiblingIsHiddenFromReadersFromItsExpiryOnAndAWriteWithTheContextSupersedesIt() {
        VersionedValue state = VersionedValue.empty()
                .put(NONE, "a", expiring("session", 10, 1_000), SIBLINGS)
                .put(NONE, "b", text("kept", 20), SIBLINGS);
        assertThat(values(state.unexpired(999))).containsExactlyInAnyOrder("session", "kept");
        VersionedValue shown = state.unexpired(1_000);
        assertThat(values(shown)).containsExactly("kept");
        assertThat(shown.clock()).as("the clock still covers the expired one").isEqualTo(state.clock());
        assertThat(state.siblings()).as("stored state unchanged").hasSize(2);

        VersionedValue rewritten = state.put(shown.clock(), "a", text("new", 30), SIBLINGS);
        assertThat(values(rewritten)).containsExactly("new");
    }

    @Test
    void underLwwAnExpiredNewestWriteHidesTheOlderOnesAsADeleteWould() {
        VersionedValue atA = VersionedValue.empty().put(NONE, "a", text("old", 100), LWW);
        VersionedValue atB = VersionedValue.empty().put(NONE, "b", expiring("newest", 200, 5_000), LWW);
        VersionedValue merged = atA.merge(atB, LWW);
        assertThat(values(merged.resolved(LWW).unexpired(4_999))).containsExactly("newest");
        assertThat(merged.resolved(LWW).unexpired(5_000).isAbsent()).isTrue();
    }

    @Test
    void aTombstoneCannotExpireNorAnExpiryBeNegative() {
        assertThatThrownBy(() -> new Content(new byte[0], null, 1, true, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content(new byte[0], null, 1, false, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Content(new byte[0], null, 1, false, Content.NEVER).expired(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void putRejectsAnEmptyActor() {
        assertThatThrownBy(() -> VersionedValue.empty().put(NONE, "", text("v", 1), SIBLINGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor");
    }

    static Content text(String value, long timestamp) {
        return new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", timestamp, false);
    }

    static Content expiring(String value, long timestamp, long expiresAt) {
        return new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", timestamp, false, expiresAt);
    }

    static List<String> values(VersionedValue v) {
        return v.live().stream().map(s -> new String(s.content().value(), StandardCharsets.UTF_8)).toList();
    }
}
