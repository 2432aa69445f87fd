package dev.dynamo.node.coordination;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.quorum.Outcome;
import dev.dynamo.core.quorum.WriteTally;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates one coordinated write, already durable here, to the key's other primaries and to the
 * replicas a ring change under way adds. A replica that is down or fails is replaced by the next
 * healthy stand-in, which keeps the write as a hint for it; with no stand-in left the coordinator
 * keeps the hint itself (that copy does not count towards W, being on a node that already
 * counted). Every replica that did not take the write thus has a hint somewhere, even after the
 * client got its answer. During a ring change the write needs W plus one acknowledgement per
 * pending replica, so that W of them come from the replicas of the next ring (see RingChange).
 */
final class WriteRequest {

    private static final Logger log = LoggerFactory.getLogger(WriteRequest.class);

    /** REPLICATING until W acknowledgements or failure; ANSWERED after the client got its answer. */
    private enum State { REPLICATING, ANSWERED }

    private final StorageKey key;
    private final VersionedValue value;
    private final ConflictPolicy policy;
    private final Replicas replicas;
    private final ReplicaCalls calls;
    private final HintStore hints;
    private final WriteTally tally;
    private final CompletableFuture<VersionedValue> answer = new CompletableFuture<>();
    private State state = State.REPLICATING;
    /**
     * While {@link #start} sends: a reply can come back before its callback is attached, which then
     * runs at once, and must not decide while replicas are still to be asked.
     */
    private boolean sending;
    private Scheduler.Cancellable deadline;

    WriteRequest(StorageKey key, VersionedValue value, ConflictPolicy policy, int w, Replicas replicas,
            ReplicaCalls calls, HintStore hints) {
        this.key = key;
        this.value = value;
        this.policy = policy;
        this.replicas = replicas;
        this.calls = calls;
        this.hints = hints;
        this.tally = new WriteTally(Math.min(w, replicas.primaries().size()) + replicas.pending().size());
    }

    /** Sends the write to the other replicas; the future completes once W acknowledged, or fails. */
    synchronized CompletableFuture<VersionedValue> start(String selfId, Scheduler scheduler, Duration timeout) {
        tally.acknowledged(selfId);
        sending = true;
        for (Member replica : Stream.concat(replicas.primaries().stream(), replicas.pending().stream()).toList()) {
            if (calls.isSelf(replica)) {
                continue;
            }
            if (replicas.isAvailable(replica)) {
                send(replica, null);
            } else {
                handOff(replica);
            }
        }
        sending = false;
        decide();
        if (state == State.REPLICATING) {
            deadline = scheduler.schedule(timeout, this::expire);
        }
        return answer;
    }

    private void send(Member target, Member intendedOwner) {
        tally.sent(target.id());
        String hintFor = intendedOwner == null ? null : intendedOwner.id();
        calls.write(target, key, value, hintFor, policy, PeerCalls.UNCOUNTED).whenComplete((ok, error) -> {
            synchronized (this) {
                if (error == null) {
                    tally.acknowledged(target.id());
                } else {
                    log.debug("replica {} did not take {}: {}", target.id(), key, error.toString());
                    handOff(intendedOwner == null ? target : intendedOwner);
                    tally.failed(target.id());
                }
                decide();
            }
        });
    }

    /** Finds a home for the write of a primary that did not take it. */
    private void handOff(Member owner) {
        Member standIn = replicas.nextStandIn();
        if (standIn != null) {
            send(standIn, owner);
            return;
        }
        hints.store(owner.id(), key, value, policy).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("could not keep a hint for {} of {}: {}", owner.id(), key, error.toString());
            }
        });
    }

    private void decide() {
        if (state != State.REPLICATING || sending) {
            return;
        }
        Outcome outcome = tally.outcome();
        if (outcome == Outcome.PENDING) {
            return;
        }
        state = State.ANSWERED;
        if (deadline != null) {
            deadline.cancel();
        }
        if (outcome == Outcome.SUCCEEDED) {
            answer.complete(value);
        } else {
            answer.completeExceptionally(new QuorumNotReachedException("write", tally.acknowledgements(), tally.required()));
        }
    }

    private synchronized void expire() {
        if (state == State.REPLICATING) {
            state = State.ANSWERED;
            answer.completeExceptionally(new QuorumNotReachedException("write", tally.acknowledgements(), tally.required()));
        }
    }
}
