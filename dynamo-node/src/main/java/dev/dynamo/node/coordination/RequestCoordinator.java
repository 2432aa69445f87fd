package dev.dynamo.node.coordination;

import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.bucket.BucketPolicy;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics.Operation;
import dev.dynamo.node.metrics.DynamoMetrics.Outcome;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.ObjectLimitException;
import dev.dynamo.node.storage.ObjectLimits;
import dev.dynamo.node.storage.StorageFullException;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transport.RequestNotSentException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs client requests against the replicas of a key (DeCandia et al. 2007, section 4.5).
 *
 * <p>Any node coordinates a read. A write is coordinated by a primary replica of the key: a node
 * outside the key's preference list forwards it to the first primary it deems reachable (the next
 * one if the request could not be sent there, or that primary is no member of its own ring). Only a
 * primary holds the key's data, so only there does the new version get a dot above every dot its
 * actor issued for the key; a node without the data could reissue a dot, and a replica holding the
 * first would silently drop the second.
 *
 * <p>When a ring has fewer members than a bucket's N, a key has as many replicas as members, and
 * quorums are capped at that number: a one-node cluster serves any valid R and W.
 */
public final class RequestCoordinator {

    private final ClusterView cluster;
    private final BucketPolicies policies;
    private final VersionedStore store;
    private final HintStore hints;
    private final FailureDetector detector;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Duration readSparesAfter;
    private final ReplicaCalls calls;
    private final ReadRepairs repairs;
    private final ObjectLimits limits;
    private final DynamoMetrics metrics;
    private final InstantSource clock;

    /** @param clock the wall clock against which reads hide expired values */
    public RequestCoordinator(ClusterView cluster, BucketPolicies policies, VersionedStore store, HintStore hints,
            PeerCalls peers, FailureDetector detector, Scheduler scheduler, Duration timeout, Duration readSparesAfter,
            ObjectLimits limits, DynamoMetrics metrics, InstantSource clock) {
        this.clock = clock;
        this.limits = limits;
        this.cluster = cluster;
        this.policies = policies;
        this.store = store;
        this.hints = hints;
        this.detector = detector;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.readSparesAfter = readSparesAfter;
        this.calls = new ReplicaCalls(cluster.self().id(), store, hints, peers);
        this.repairs = new ReadRepairs(calls, metrics);
        this.metrics = metrics;
    }

    /** The settings of a bucket, for checking request overrides. */
    public BucketPolicy policy(String bucket) {
        return policies.of(bucket);
    }

    /** The repair path, shared with anti-entropy. */
    public ReadRepairs repairs() {
        return repairs;
    }

    /**
     * Reads a key from its replicas; completes with the merge of R answers, as its bucket shows it to readers
     * at this node's clock now (expired values left out).
     */
    public CompletableFuture<VersionedValue> get(StorageKey key, int r) {
        BucketPolicy policy = policy(key.bucket());
        return metered(Operation.GET, () -> new ReadRequest(key, policy.conflict(), r, replicas(key, policy), calls,
                repairs, metrics).start(scheduler, timeout, readSparesAfter)).thenApply(merged -> {
            VersionedValue value = merged.resolved(policy.conflict()).unexpired(clock.millis());
            if (value.live().size() > 1) {
                metrics.siblingsReturned();
            }
            return value;
        });
    }

    /**
     * Writes a new version of a key ({@code content} a tombstone for a delete) that supersedes
     * {@code context}, or everything the coordinator holds when it is null; completes after W
     * acknowledgements with the key's state at the coordinator, as its bucket shows it to readers.
     */
    public CompletableFuture<VersionedValue> write(StorageKey key, VersionVector context, Content content, int w) {
        return metered(content.tombstone() ? Operation.DELETE : Operation.PUT, () -> route(key, context, content, w))
                .thenApply(state -> state.resolved(policy(key.bucket()).conflict()));
    }

    /**
     * Deletes a key for background work (a bucket's truncation): a tombstone superseding everything the
     * coordinator holds, as a blind DELETE writes, with quorum {@code w}. Not timed as a client request, so
     * that background work does not count in the foreground latency its admission control judges.
     */
    public CompletableFuture<VersionedValue> deleteInBackground(StorageKey key, int w) {
        return route(key, null, Content.tombstone(0), w);
    }

    /**
     * Writes {@code content} only if {@code condition} holds for the key's state read with quorum {@code r}
     * ({@link WriteCondition#MATCHES}: its clock is {@code expected}); the write supersedes that state.
     * The check and the write are two steps, so a write coordinated elsewhere between them, or on the
     * other side of a partition, is not excluded: the two become siblings, as any concurrent writes do.
     *
     * @return as {@link #write}; fails with {@link ConditionFailedException} when the condition did not hold
     */
    public CompletableFuture<VersionedValue> conditionalWrite(StorageKey key, WriteCondition condition,
            VersionVector expected, Content content, int r, int w) {
        return get(key, r).thenCompose(current -> {
            boolean holds = switch (condition) {
                case ABSENT -> current.live().isEmpty();
                case MATCHES -> current.clock().equals(expected);
            };
            if (!holds) {
                metrics.conditionFailed();
                throw new ConditionFailedException(condition == WriteCondition.ABSENT
                        ? "the key holds " + current.live().size() + " live value(s)"
                        : "the key's state is not the one the context saw", current);
            }
            return write(key, current.clock(), content, w);
        });
    }

    /** Coordinates a write here when this node is a primary of the key, else forwards it to one. */
    private CompletableFuture<VersionedValue> route(StorageKey key, VersionVector context, Content content, int w) {
        Replicas replicas = replicas(key, policy(key.bucket()));
        List<Member> primaries = replicas.primaries();
        if (primaries.stream().anyMatch(calls::isSelf)) {
            return coordinateWrite(key, context, content, w);
        }
        List<Member> reachable = primaries.stream().filter(replicas::isAvailable).toList();
        if (reachable.isEmpty()) {
            throw new ClusterUnavailableException("no replica of this key is reachable: "
                    + primaries.stream().map(Member::id).toList());
        }
        return forward(reachable, 0, new Message.CoordinateWrite(key, context, content, w));
    }

    /**
     * Forwards a write to the {@code i}-th reachable primary; moves on to the next only when that
     * one certainly did not coordinate it, so that no write is coordinated twice: the request never
     * left this node, or the target refused it as unavailable, which it does before storing anything
     * (while the ring changes, a node may name as primary one that does not know yet that it is a
     * member, or that has just left).
     */
    private CompletableFuture<VersionedValue> forward(List<Member> primaries, int i, Message.CoordinateWrite write) {
        Member target = primaries.get(i);
        return calls.call(target, write).handle((reply, error) -> {
            boolean notCoordinated = error != null ? rootCause(error) instanceof RequestNotSentException
                    : reply instanceof Message.Failure failure && failure.kind() == Message.Failure.Kind.UNAVAILABLE;
            if (notCoordinated && i + 1 < primaries.size()) {
                return forward(primaries, i + 1, write);
            }
            return CompletableFuture.completedFuture(forwarded(target, reply, error));
        }).thenCompose(next -> next);
    }

    /** Times a client request until it completes, under how it ended; also when it fails at once. */
    private CompletableFuture<VersionedValue> metered(Operation operation,
            Supplier<CompletableFuture<VersionedValue>> request) {
        var started = metrics.requestStarted();
        CompletableFuture<VersionedValue> answer;
        try {
            answer = request.get();
        } catch (RuntimeException e) {
            metrics.requestEnded(started, operation, outcome(e));
            throw e;
        }
        return answer.whenComplete((value, error) -> metrics.requestEnded(started, operation, outcome(error)));
    }

    private static Outcome outcome(Throwable error) {
        return switch (error == null ? null : rootCause(error)) {
            case null -> Outcome.SUCCESS;
            case QuorumNotReachedException quorum -> Outcome.QUORUM_FAILED;
            case ClusterUnavailableException unavailable -> Outcome.UNAVAILABLE;
            default -> Outcome.ERROR;
        };
    }

    private static Throwable rootCause(Throwable error) {
        return Futures.cause(error);
    }

    /** Coordinates a write here, as a primary of the key: stores the new version, then replicates it. */
    public CompletableFuture<VersionedValue> coordinateWrite(StorageKey key, VersionVector context, Content content,
            int w) {
        BucketPolicy policy = policy(key.bucket());
        cluster.requireRing(); // a node that serves no data refuses before storing anything
        // the replicas are chosen once the version is durable here, from the view as it is then: a
        // ring change seen during a slow local write still gets its pending replicas the write
        return store.write(key, context, content, policy.conflict(), limits).thenCompose(value ->
                new WriteRequest(key, value, policy.conflict(), w,
                        replicas(cluster.ring().orElseThrow(), key, policy), calls, hints)
                        .start(cluster.self().id(), scheduler, timeout));
    }

    /** One replica's answer for {@link #replicaStates}: its state of the key, or why it gave none. */
    public record ReplicaState(Member replica, VersionedValue value, String error) {
    }

    /** Asks every primary of a key for its own state of it, for operators to inspect. */
    public CompletableFuture<List<ReplicaState>> replicaStates(StorageKey key) {
        BucketPolicy policy = policy(key.bucket());
        List<CompletableFuture<ReplicaState>> states = replicas(key, policy).primaries().stream()
                .map(replica -> calls.read(replica, key, null, policy.conflict()).handle((value, error) ->
                        new ReplicaState(replica, value, error == null ? null : String.valueOf(error.getMessage()))))
                .toList();
        return CompletableFuture.allOf(states.toArray(CompletableFuture[]::new))
                .thenApply(done -> states.stream().map(CompletableFuture::join).toList());
    }

    /** Serves another node's read of this replica. */
    VersionedValue readLocal(StorageKey key, String hintFor) {
        return calls.readLocal(key, hintFor, policy(key.bucket()).conflict());
    }

    /** Serves another node's write to this replica. */
    CompletableFuture<Void> writeLocal(StorageKey key, VersionedValue value, String hintFor) {
        return calls.writeLocal(key, value, hintFor, policy(key.bucket()).conflict());
    }

    private Replicas replicas(StorageKey key, BucketPolicy policy) {
        return replicas(cluster.requireRing(), key, policy);
    }

    private Replicas replicas(Ring ring, StorageKey key, BucketPolicy policy) {
        return new Replicas(ring, cluster.view().next().orElse(null), key.position(), policy.n(), detector);
    }

    private static VersionedValue forwarded(Member coordinator, Message reply, Throwable error) {
        if (error != null) {
            throw new ClusterUnavailableException("the write's coordinator " + coordinator.id() + " did not answer: "
                    + rootCause(error).getMessage());
        }
        return switch (reply) {
            case Message.Coordinated done -> done.value();
            case Message.QuorumFailed failed -> throw new QuorumNotReachedException("write", failed.answered(),
                    failed.required());
            case Message.Failure failure when failure.kind() == Message.Failure.Kind.STORAGE_FULL ->
                    throw new StorageFullException(failure.detail(), null);
            case Message.Failure failure when failure.kind() == Message.Failure.Kind.OBJECT_LIMIT ->
                    throw new ObjectLimitException(failure.detail());
            case Message.Failure failure -> throw new ClusterUnavailableException(
                    "the write's coordinator " + coordinator.id() + " failed: " + failure.detail());
            default -> throw new ClusterUnavailableException(
                    "the write's coordinator " + coordinator.id() + " answered " + reply);
        };
    }
}
