package dev.dynamo.node.coordination;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.quorum.Outcome;
import dev.dynamo.core.quorum.ReadTally;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one key from R of its replicas: this node first when it is a primary, then the other primaries
 * the failure detector deems up, then stand-ins for those down. The rest are spares: one is asked when
 * a replica asked fails, and all of them when the R answers are not in within {@code sparesAfter} (zero:
 * every replica at once, as the paper's coordinator does). Answers once R replied, keeps listening to
 * the replicas asked, and then repairs the primaries that answered with less than the merged state, in
 * the background (read repair, DeCandia et al. 2007, section 5). Asking R rather than N saves a third of
 * a read's messages at N=3 R=2; a replica no read asks is brought up to date by hints and anti-entropy.
 */
final class ReadRequest {

    private static final Logger log = LoggerFactory.getLogger(ReadRequest.class);

    /** WAITING for R answers; ANSWERED while the rest come in; REPAIRED once repair was sent. */
    private enum State { WAITING, ANSWERED, REPAIRED }

    private final StorageKey key;
    private final ConflictPolicy policy;
    private final ReplicaCalls calls;
    private final Map<String, Member> primariesAsked = new LinkedHashMap<>();
    /** Every replica this read may ask, in the order it asks them, with the primary a stand-in stands for. */
    private final LinkedHashMap<Member, String> candidates = new LinkedHashMap<>();
    private final Deque<Member> spares = new ArrayDeque<>();
    private final int r;
    private final ReadTally tally;
    private final CompletableFuture<VersionedValue> answer = new CompletableFuture<>();
    private final ReadRepairs repairs;
    private final DynamoMetrics metrics;
    private State state = State.WAITING;
    private Scheduler.Cancellable deadline;
    private Scheduler.Cancellable sparesDue;

    ReadRequest(StorageKey key, ConflictPolicy policy, int r, Replicas replicas, ReplicaCalls calls, ReadRepairs repairs,
            DynamoMetrics metrics) {
        this.key = key;
        this.metrics = metrics;
        this.policy = policy;
        this.calls = calls;
        this.repairs = repairs;
        Map<Member, String> standIns = new LinkedHashMap<>();
        for (Member primary : replicas.primaries()) {
            if (calls.isSelf(primary)) {
                candidates.putFirst(primary, null);
            } else if (replicas.isAvailable(primary)) {
                candidates.put(primary, null);
            } else {
                Member standIn = replicas.nextStandIn();
                if (standIn != null) {
                    standIns.put(standIn, primary.id());
                }
            }
        }
        candidates.putAll(standIns); // last: a primary that is up holds the data, a stand-in at most a hint of it
        this.r = Math.min(r, replicas.primaries().size());
        this.tally = new ReadTally(candidates.keySet().stream().map(Member::id).toList(), this.r, policy);
    }

    /** Asks R replicas; the future completes with the merged state once R answered, or fails. */
    synchronized CompletableFuture<VersionedValue> start(Scheduler scheduler, Duration timeout, Duration sparesAfter) {
        spares.addAll(candidates.keySet());
        int first = sparesAfter.isZero() ? spares.size() : r;
        for (int i = 0; i < first && !spares.isEmpty(); i++) {
            ask(spares.poll());
        }
        decide();
        if (state != State.REPAIRED) {
            deadline = scheduler.schedule(timeout, this::expire);
            if (!spares.isEmpty()) {
                sparesDue = scheduler.schedule(sparesAfter, this::askSpares);
            }
        }
        return answer;
    }

    private void ask(Member replica) {
        String hintFor = candidates.get(replica);
        if (hintFor == null) {
            primariesAsked.put(replica.id(), replica);
        }
        calls.read(replica, key, hintFor, policy).whenComplete((value, error) -> {
            synchronized (this) {
                if (error == null) {
                    tally.answered(replica.id(), value);
                } else {
                    log.debug("replica {} did not answer for {}: {}", replica.id(), key, error.toString());
                    tally.failed(replica.id());
                    if (state == State.WAITING && !spares.isEmpty()) {
                        askSpare();
                    }
                }
                decide();
            }
        });
    }

    /** The R answers are late: asks every spare. */
    private synchronized void askSpares() {
        while (state == State.WAITING && !spares.isEmpty()) {
            askSpare();
        }
    }

    private void askSpare() {
        metrics.readSpareAsked();
        ask(spares.poll());
    }

    private void decide() {
        if (state == State.WAITING && tally.outcome() != Outcome.PENDING) {
            state = State.ANSWERED;
            if (sparesDue != null) {
                sparesDue.cancel();
            }
            while (!spares.isEmpty()) {
                tally.notAsked(spares.poll().id());
            }
            if (tally.outcome() == Outcome.SUCCEEDED) {
                answer.complete(tally.merged());
            } else {
                answer.completeExceptionally(new QuorumNotReachedException("read", tally.answers(), tally.required()));
            }
        }
        if (state == State.ANSWERED && tally.settled()) {
            repair();
        }
    }

    private synchronized void expire() {
        if (state == State.WAITING) {
            state = State.ANSWERED;
            answer.completeExceptionally(new QuorumNotReachedException("read", tally.answers(), tally.required()));
        }
        if (state == State.ANSWERED) {
            repair();
        }
    }

    /** Sends the merged state to every primary that answered with less; stand-ins hold hints, not data. */
    private void repair() {
        state = State.REPAIRED;
        if (deadline != null) {
            deadline.cancel();
        }
        VersionedValue merged = tally.merged();
        for (String stale : tally.stale()) {
            Member primary = primariesAsked.get(stale);
            if (primary != null) {
                repairs.repair(primary, key, merged, policy, PeerCalls.UNCOUNTED);
            }
        }
    }
}
