package dev.dynamo.core.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadTallyTest {

    private static final ConflictPolicy SIBLINGS = ConflictPolicy.SIBLINGS;

    private static VersionedValue written(VersionedValue base, String actor, String value) {
        return base.put(base.clock(), actor, new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", 1, false),
                SIBLINGS);
    }

    @Test
    void answersWithTheMergeOnceRReplied() {
        VersionedValue old = written(VersionedValue.empty(), "a", "v1");
        VersionedValue newer = written(old, "a", "v2");
        ReadTally tally = new ReadTally(List.of("a", "b", "c"), 2, SIBLINGS);
        tally.answered("a", newer);
        assertEquals(Outcome.PENDING, tally.outcome());
        tally.answered("b", old);
        assertEquals(Outcome.SUCCEEDED, tally.outcome());
        assertEquals(newer, tally.merged());
        assertFalse(tally.settled());
        tally.answered("c", VersionedValue.empty());
        assertTrue(tally.settled());
        assertEquals(List.of("b", "c"), tally.stale());
    }

    @Test
    void concurrentAnswersMergeIntoSiblings() {
        VersionedValue fromA = written(VersionedValue.empty(), "a", "x");
        VersionedValue fromB = written(VersionedValue.empty(), "b", "y");
        ReadTally tally = new ReadTally(List.of("a", "b"), 2, SIBLINGS);
        tally.answered("a", fromA);
        tally.answered("b", fromB);
        assertEquals(2, tally.merged().live().size());
        assertEquals(List.of("a", "b"), tally.stale());
    }

    @Test
    void failsWhenTooFewCanStillAnswer() {
        ReadTally tally = new ReadTally(List.of("a", "b", "c"), 2, SIBLINGS);
        tally.answered("a", VersionedValue.empty());
        tally.failed("b");
        assertEquals(Outcome.PENDING, tally.outcome());
        tally.failed("c");
        assertEquals(Outcome.FAILED, tally.outcome());
        assertEquals(1, tally.answers());
    }

    @Test
    void ignoresAnswersFromReplicasNotAskedAndRepeatedAnswers() {
        ReadTally tally = new ReadTally(List.of("a", "b"), 2, SIBLINGS);
        VersionedValue v = written(VersionedValue.empty(), "a", "x");
        tally.answered("z", v);
        tally.answered("a", VersionedValue.empty());
        tally.answered("a", v);
        assertEquals(1, tally.answers());
        assertEquals(VersionVector.empty(), tally.merged().clock());
    }
}
