package dev.dynamo.node.coordination;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.quorum.Outcome;
import dev.dynamo.core.quorum.ReadTally;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.Scheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one key from its replicas: every primary, or a stand-in for a primary that is down. Answers
 * once R replied, keeps listening to the rest, and then repairs the primaries that answered with less
 * than the merged state, in the background (read repair, DeCandia et al. 2007, section 5).
 */
final class ReadRequest {

    private static final Logger log = LoggerFactory.getLogger(ReadRequest.class);

    /** WAITING for R answers; ANSWERED while the rest come in; REPAIRED once repair was sent. */
    private enum State { WAITING, ANSWERED, REPAIRED }

    private final StorageKey key;
    private final ConflictPolicy policy;
    private final ReplicaCalls calls;
    private final Map<String, Member> primariesAsked = new LinkedHashMap<>();
    private final Map<Member, String> asked = new LinkedHashMap<>();
    private final ReadTally tally;
    private final CompletableFuture<VersionedValue> answer = new CompletableFuture<>();
    private final ReadRepairs repairs;
    private State state = State.WAITING;
    private Scheduler.Cancellable deadline;

    ReadRequest(StorageKey key, ConflictPolicy policy, int r, Replicas replicas, ReplicaCalls calls, ReadRepairs repairs) {
        this.key = key;
        this.policy = policy;
        this.calls = calls;
        this.repairs = repairs;
        for (Member primary : replicas.primaries()) {
            if (calls.isSelf(primary) || replicas.isAvailable(primary)) {
                asked.put(primary, null);
                primariesAsked.put(primary.id(), primary);
            } else {
                Member standIn = replicas.nextStandIn();
                if (standIn != null) {
                    asked.put(standIn, primary.id());
                }
            }
        }
        this.tally = new ReadTally(asked.keySet().stream().map(Member::id).toList(),
                Math.min(r, replicas.primaries().size()), policy);
    }

    /** Asks the replicas; the future completes with the merged state once R answered, or fails. */
    synchronized CompletableFuture<VersionedValue> start(Scheduler scheduler, Duration timeout) {
        asked.forEach((replica, hintFor) -> calls.read(replica, key, hintFor, policy).whenComplete((value, error) -> {
            synchronized (this) {
                if (error == null) {
                    tally.answered(replica.id(), value);
                } else {
                    log.debug("replica {} did not answer for {}: {}", replica.id(), key, error.toString());
                    tally.failed(replica.id());
                }
                decide();
            }
        }));
        decide();
        if (state != State.REPAIRED) {
            deadline = scheduler.schedule(timeout, this::expire);
        }
        return answer;
    }

    private void decide() {
        if (state == State.WAITING && tally.outcome() != Outcome.PENDING) {
            state = State.ANSWERED;
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
