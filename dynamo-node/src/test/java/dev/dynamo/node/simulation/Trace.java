package dev.dynamo.node.simulation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * The event log of one run, kept as a running hash so that two runs of a seed can be compared
 * cheaply, plus the last events for failure messages. With {@code -Dsimulation.trace=true} every
 * event is also printed, which is how one replays and reads a failing seed.
 */
final class Trace {

    private static final int TAIL = 40;
    private static final boolean PRINT = Boolean.getBoolean("simulation.trace");

    private final Supplier<Duration> clock;
    private final Deque<String> tail = new ArrayDeque<>();
    private long hash = 0xcbf29ce484222325L;
    private long events;

    Trace(Supplier<Duration> clock) {
        this.clock = clock;
    }

    /** Records one event, stamped with virtual time. */
    void record(String event) {
        String line = clock.get().toMillis() + "ms " + event;
        for (int i = 0; i < line.length(); i++) {
            hash = (hash ^ line.charAt(i)) * 0x100000001b3L; // FNV-1a
        }
        events++;
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(line);
        if (PRINT) {
            System.out.println(line);
        }
    }

    /** The hash of every event so far: equal runs have equal hashes. */
    long hash() {
        return hash;
    }

    long events() {
        return events;
    }

    /** The last events, one a line. */
    String tail() {
        return String.join("\n", tail);
    }
}
