package dev.dynamo.core.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteTallyTest {

    @Test
    void succeedsAtWAcknowledgementsCountingEachReplicaOnce() {
        WriteTally tally = new WriteTally(2);
        tally.acknowledged("a");
        tally.sent("b");
        tally.sent("c");
        tally.acknowledged("a");
        assertEquals(Outcome.PENDING, tally.outcome());
        tally.acknowledged("c");
        assertEquals(Outcome.SUCCEEDED, tally.outcome());
        assertEquals(2, tally.acknowledgements());
    }

    @Test
    void failsOnlyWhenThePendingCannotMakeUpTheRest() {
        WriteTally tally = new WriteTally(2);
        tally.acknowledged("a");
        tally.sent("b");
        tally.sent("c");
        tally.failed("b");
        assertEquals(Outcome.PENDING, tally.outcome());
        tally.failed("c");
        assertEquals(Outcome.FAILED, tally.outcome());
        assertEquals(1, tally.acknowledgements());
    }

    @Test
    void aStandInSentBeforeItsPrimaryFailsKeepsTheTallyPending() {
        WriteTally tally = new WriteTally(2);
        tally.acknowledged("a");
        tally.sent("b");
        tally.sent("d"); // stand-in for b
        tally.failed("b");
        assertEquals(Outcome.PENDING, tally.outcome());
        tally.acknowledged("d");
        assertEquals(Outcome.SUCCEEDED, tally.outcome());
    }

    @Test
    void refusesAQuorumBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new WriteTally(0));
    }

    /** In any order of events the outcome, once reached, stays, and is SUCCEEDED exactly when W acknowledged. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void outcomeAgreesWithTheCountOfAcknowledgements(long seed) {
        Random random = new Random(seed);
        int replicas = 1 + random.nextInt(5);
        int w = 1 + random.nextInt(replicas);
        WriteTally tally = new WriteTally(w);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            ids.add("r" + i);
            tally.sent("r" + i);
        }
        Collections.shuffle(ids, random);
        int acks = 0;
        for (String id : ids) {
            Outcome before = tally.outcome();
            if (random.nextBoolean()) {
                tally.acknowledged(id);
                acks++;
            } else {
                tally.failed(id);
            }
            if (before != Outcome.PENDING) {
                assertEquals(before, tally.outcome(), "an outcome, once reached, stays; seed " + seed);
            }
        }
        assertTrue(tally.settled());
        assertEquals(acks >= w ? Outcome.SUCCEEDED : Outcome.FAILED, tally.outcome(), "seed " + seed);
    }
}
