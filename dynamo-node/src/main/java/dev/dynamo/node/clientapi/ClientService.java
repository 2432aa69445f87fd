package dev.dynamo.node.clientapi;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.ClientMessage.ClientConditionFailed;
import dev.dynamo.core.wire.ClientMessage.ClientConditionalPut;
import dev.dynamo.core.wire.ClientMessage.ClientDelete;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;
import dev.dynamo.core.wire.ClientMessage.ClientGet;
import dev.dynamo.core.wire.ClientMessage.ClientKeyPage;
import dev.dynamo.core.wire.ClientMessage.ClientListKeys;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.ClientRead;
import dev.dynamo.core.wire.ClientMessage.ClientWritten;
import dev.dynamo.core.wire.ClientMessage.Reply;
import dev.dynamo.core.wire.ClientMessage.Request;
import dev.dynamo.core.wire.ClientMessage.RingFetch;
import dev.dynamo.core.wire.ClientMessage.RingState;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.kv.KvFailure;
import dev.dynamo.node.kv.KvService;
import dev.dynamo.node.kv.Quorum;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.transport.ClientHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves client connections: reads (any node coordinates), writes (the coordinator forwards them to a
 * primary when this node is none), deletes and ring fetches, and nothing else. Data requests go through
 * the {@link KvService}, which checks them as it checks HTTP's; this door only translates client
 * messages to and from it. Each reply carries this node's ring version, so a client learns when its
 * ring is stale. Every failure is a {@link ClientFailure} with its kind and reason, but a conditional
 * write whose condition did not hold, which is a {@link ClientConditionFailed} with the key's context.
 */
public final class ClientService implements ClientHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientService.class);

    private final ClusterView cluster;
    private final BucketPolicies policies;
    private final KvService kv;

    public ClientService(ClusterView cluster, BucketPolicies policies, KvService kv) {
        this.cluster = cluster;
        this.policies = policies;
        this.kv = kv;
    }

    /** Serves one request of a client session; a reply sent as a request is refused. */
    @Override
    public CompletableFuture<ClientMessage> handle(ClientMessage message) {
        try {
            return switch (message) {
                case Request request -> serve(request).exceptionally(this::failure);
                case Reply reply -> CompletableFuture.completedFuture(failure(FailureKind.BAD_REQUEST,
                        "not a client request: " + reply.getClass().getSimpleName()));
            };
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private CompletableFuture<ClientMessage> serve(Request request) {
        return switch (request) {
            case ClientGet(ClientKey key, int r) -> kv.get(key.bucket(), key.key(), quorum(r))
                    .thenApply(found -> new ClientRead(ringVersion(), read(found)));
            case ClientPut(ClientKey key, CausalContext context, Value value, int w, long ttlMillis) ->
                    written(kv.put(key.bucket(), key.key(), value.contentType(), value.bytes(), context.token(),
                            quorum(w), ttl(ttlMillis)));
            case ClientDelete(ClientKey key, CausalContext context, int w) ->
                    written(kv.delete(key.bucket(), key.key(), context.token(), quorum(w)));
            case ClientConditionalPut(ClientKey key, WriteCondition condition, CausalContext context, Value value,
                                      int r, int w, long ttlMillis) -> written(kv.conditionalPut(key.bucket(),
                    key.key(), value.contentType(), value.bytes(), condition, context.token(), quorum(r), quorum(w),
                    ttl(ttlMillis)));
            case ClientListKeys(String bucket, byte[] after, int limit) -> kv.keys(bucket, after, limit)
                    .thenApply(page -> new ClientKeyPage(ringVersion(), page.keys(), page.next()));
            case RingFetch fetch -> CompletableFuture.completedFuture(new RingState(cluster.requireRing(),
                    policies.defaults().n(), policies.configuredN(), kv.maxValueSize()));
        };
    }

    /** 0 asks for the bucket's TTL; the service refuses one that is not positive. */
    private static Duration ttl(long millis) {
        return millis == 0 ? null : Duration.ofMillis(millis);
    }

    /** 0 asks for the bucket's own quorum. */
    private static Quorum quorum(int requested) {
        return requested == 0 ? Quorum.BUCKETS_OWN : Quorum.of(requested);
    }

    private static ReadResult read(KvService.Found found) {
        return new ReadResult(found.siblings().stream().map(sibling -> new Value(sibling.content().value(),
                sibling.content().contentType() != null ? sibling.content().contentType() : Value.OCTET_STREAM,
                sibling.content().timestamp())).toList(),
                found.context() == null ? CausalContext.NONE : new CausalContext(found.context()));
    }

    private CompletableFuture<ClientMessage> written(CompletableFuture<KvService.Written> write) {
        return write.thenApply(stored -> new ClientWritten(ringVersion(), new CausalContext(stored.context()),
                stored.siblings()));
    }

    private long ringVersion() {
        return cluster.ring().map(Ring::version).orElse(0L);
    }

    private ClientMessage failure(Throwable error) {
        Throwable cause = Futures.cause(error);
        return switch (cause) {
            case KvFailure failure when failure.kind() == KvFailure.Kind.CONDITION_FAILED -> new ClientConditionFailed(
                    ringVersion(), failure.getMessage(),
                    failure.context() == null ? CausalContext.NONE : new CausalContext(failure.context()));
            case KvFailure failure -> new ClientFailure(ringVersion(), kind(failure.kind()), failure.getMessage(),
                    failure.answered(), failure.required());
            case ClusterUnavailableException unavailable -> failure(FailureKind.UNAVAILABLE, unavailable.getMessage());
            default -> {
                log.warn("Client request failed", cause);
                yield failure(FailureKind.INTERNAL, String.valueOf(cause.getMessage()));
            }
        };
    }

    private static FailureKind kind(KvFailure.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> FailureKind.BAD_REQUEST;
            case VALUE_TOO_LARGE -> FailureKind.VALUE_TOO_LARGE;
            case QUORUM_NOT_REACHED -> FailureKind.QUORUM_NOT_REACHED;
            case UNAVAILABLE -> FailureKind.UNAVAILABLE;
            case OBJECT_LIMIT -> FailureKind.OBJECT_LIMIT;
            case STORAGE_FULL -> FailureKind.STORAGE_FULL;
            case CONDITION_FAILED -> FailureKind.CONDITION_FAILED; // answered as ClientConditionFailed, with its context
        };
    }

    private ClientFailure failure(FailureKind kind, String reason) {
        return new ClientFailure(ringVersion(), kind, reason, 0, 0);
    }
}
