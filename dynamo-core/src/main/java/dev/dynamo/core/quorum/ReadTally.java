package dev.dynamo.core.quorum;

import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the replicas' answers to one read against its R and merges them. A replica counts as
 * pending until it answers, fails or is not asked after all. Once none is pending, it says which
 * answered with less than the merged state: those are read-repaired.
 */
public final class ReadTally {

    private final int r;
    private final ConflictPolicy policy;
    private final Set<String> pending;
    private final Map<String, VersionedValue> answers = new LinkedHashMap<>();
    private VersionedValue merged = VersionedValue.empty();

    /** A tally needing {@code r} answers from the replicas in {@code asked}. */
    public ReadTally(List<String> asked, int r, ConflictPolicy policy) {
        if (r < 1) {
            throw new IllegalArgumentException("r must be at least 1, got " + r);
        }
        this.r = r;
        this.policy = policy;
        this.pending = new HashSet<>(asked);
    }

    /** {@code replica} answered with its state of the key; answers of replicas not asked are ignored. */
    public void answered(String replica, VersionedValue value) {
        if (pending.remove(replica)) {
            answers.put(replica, value);
            merged = merged.merge(value, policy);
        }
    }

    /** {@code replica} did not answer (error, timeout, unreachable). */
    public void failed(String replica) {
        pending.remove(replica);
    }

    /** {@code replica} will not be asked after all: the read had its answers without it. */
    public void notAsked(String replica) {
        pending.remove(replica);
    }

    /** How many replicas answered. */
    public int answers() {
        return answers.size();
    }

    /** The R this tally needs. */
    public int required() {
        return r;
    }

    /** Succeeded once R replicas answered; failed once the pending ones cannot make up the rest. */
    public Outcome outcome() {
        if (answers.size() >= r) {
            return Outcome.SUCCEEDED;
        }
        return answers.size() + pending.size() >= r ? Outcome.PENDING : Outcome.FAILED;
    }

    /** Whether every replica asked has answered or failed. */
    public boolean settled() {
        return pending.isEmpty();
    }

    /** The merge of every answer so far: what the read returns. */
    public VersionedValue merged() {
        return merged;
    }

    /** The replicas that answered with a state other than the merged one: they need the merged state. */
    public List<String> stale() {
        return answers.entrySet().stream().filter(e -> !e.getValue().equals(merged)).map(Map.Entry::getKey).toList();
    }
}
