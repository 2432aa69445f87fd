package dev.dynamo.node.simulation;

import dev.dynamo.core.version.Dot;
import dev.dynamo.core.version.Sibling;
import dev.dynamo.core.version.VersionedValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracle: every write the clients issued, what each one saw, and how it ended. Values are
 * unique, so a value names its write. An acknowledged value may only be missing from a key's final
 * state when a later write was issued with the context of a read that returned it: that write
 * superseded it on purpose; or when it was written to expire (the final reads come after most
 * expiries). Nothing else may make an acknowledged write disappear, and a value an acknowledged write
 * superseded never comes back.
 */
final class History {

    enum Status { PENDING, ACKNOWLEDGED, FAILED }

    /** One client write: its unique value, the values its context came from, and its outcome. */
    static final class Write {
        final String key;
        final String value;
        final Set<String> supersedes;
        final boolean expiring;
        Status status = Status.PENDING;
        /** The version the coordinator gave it, once acknowledged. */
        Dot dot;

        Write(String key, String value, Set<String> supersedes, boolean expiring) {
            this.key = key;
            this.value = value;
            this.supersedes = supersedes;
            this.expiring = expiring;
        }
    }

    private final Map<String, Write> writes = new LinkedHashMap<>();
    private int readsOk;
    private int readsFailed;

    /** Records a write as issued, before its outcome is known. */
    Write issue(String key, String value, Set<String> supersedes, boolean expiring) {
        Write write = new Write(key, value, Set.copyOf(supersedes), expiring);
        writes.put(value, write);
        return write;
    }

    /** The write was acknowledged; {@code state} is the key's state at its coordinator just after it. */
    void acknowledged(Write write, VersionedValue state) {
        write.status = Status.ACKNOWLEDGED;
        write.dot = state.siblings().stream()
                .filter(s -> write.value.equals(SimulatedCluster.text(s)))
                .map(Sibling::dot).findFirst()
                .orElseThrow(() -> new AssertionError("write " + write.value + " acknowledged without its value"));
    }

    void failed(Write write) {
        write.status = Status.FAILED;
    }

    /** The acknowledged writes, in the order they were issued. */
    List<Write> acknowledged() {
        return writes.values().stream().filter(w -> w.status == Status.ACKNOWLEDGED).toList();
    }

    void read(boolean ok) {
        if (ok) {
            readsOk++;
        } else {
            readsFailed++;
        }
    }

    int count(Status status) {
        return (int) writes.values().stream().filter(w -> w.status == status).count();
    }

    int readsOk() {
        return readsOk;
    }

    int readsFailed() {
        return readsFailed;
    }

    /** What is wrong with {@code finalState} as the state of {@code key}; empty when nothing is. */
    List<String> violations(String key, VersionedValue finalState) {
        Set<String> present = SimulatedCluster.values(finalState);
        Set<String> superseded = new HashSet<>();
        writes.values().stream().filter(w -> w.key.equals(key)).forEach(w -> superseded.addAll(w.supersedes));
        List<String> problems = new ArrayList<>();
        for (Write write : writes.values()) {
            if (write.key.equals(key) && write.status == Status.ACKNOWLEDGED && !present.contains(write.value)
                    && !superseded.contains(write.value) && !write.expiring) {
                problems.add("acknowledged write " + write.value + " of key " + key + " is lost; the key holds "
                        + present.stream().sorted().toList());
            }
        }
        for (String value : present) {
            Write write = writes.get(value);
            if (write == null || !write.key.equals(key)) {
                problems.add("key " + key + " holds " + value + ", which no client wrote to it");
            }
        }
        for (Write write : writes.values()) {
            if (write.key.equals(key) && write.status == Status.ACKNOWLEDGED) {
                write.supersedes.stream().filter(present::contains).forEach(value -> problems.add("key " + key
                        + " holds " + value + ", which the acknowledged write " + write.value + " superseded"));
            }
        }
        return problems;
    }
}
