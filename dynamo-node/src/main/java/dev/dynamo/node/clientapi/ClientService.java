package dev.dynamo.node.clientapi;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.key.KeyNames;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.CausalContextCodec;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessage.ClientDelete;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;
import dev.dynamo.core.wire.ClientMessage.ClientGet;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.ClientRead;
import dev.dynamo.core.wire.ClientMessage.ClientWritten;
import dev.dynamo.core.wire.ClientMessage.Reply;
import dev.dynamo.core.wire.ClientMessage.Request;
import dev.dynamo.core.wire.ClientMessage.RingFetch;
import dev.dynamo.core.wire.ClientMessage.RingState;
import dev.dynamo.node.coordination.BucketPolicies;
import dev.dynamo.node.coordination.BucketPolicy;
import dev.dynamo.node.coordination.QuorumNotReachedException;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.storage.StorageFullException;
import dev.dynamo.node.transport.ClientHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves client connections: reads (any node coordinates), writes (the coordinator forwards them to a
 * primary when this node is none), deletes and ring fetches, and nothing else. Each request is
 * checked as the HTTP API checks it (bucket name, key of 1 to 1024 bytes, value size, quorum,
 * context) before anything is done; each reply carries this node's ring version, so a client
 * learns when its ring is stale. Every failure is a {@link ClientFailure} with its kind and reason.
 */
public final class ClientService implements ClientHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientService.class);

    private final ClusterView cluster;
    private final RequestCoordinator coordinator;
    private final BucketPolicies policies;
    private final CausalContextCodec contexts;
    private final long maxValueSize;

    public ClientService(ClusterView cluster, RequestCoordinator coordinator, BucketPolicies policies,
            CausalContextCodec contexts, long maxValueSize) {
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.policies = policies;
        this.contexts = contexts;
        this.maxValueSize = maxValueSize;
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
            case ClientGet get -> {
                StorageKey key = key(get.key());
                int r = quorum(key, "r", get.r(), policy(key).r());
                yield coordinator.get(key, r).thenApply(value -> new ClientRead(ringVersion(), read(value)));
            }
            case ClientPut put -> {
                StorageKey key = key(put.key());
                int w = quorum(key, "w", put.w(), policy(key).w());
                if (put.value().bytes().length > maxValueSize) {
                    throw new ValueTooLarge("the value is " + put.value().bytes().length + " bytes, over the limit of "
                            + maxValueSize + " bytes");
                }
                Content content = new Content(put.value().bytes(), put.value().contentType(), 0, false);
                yield written(coordinator.write(key, context(put.context()), content, w));
            }
            case ClientDelete delete -> {
                StorageKey key = key(delete.key());
                int w = quorum(key, "w", delete.w(), policy(key).w());
                yield written(coordinator.write(key, delete.context().isNone() ? null : context(delete.context()),
                        Content.tombstone(0), w));
            }
            case RingFetch fetch -> CompletableFuture.completedFuture(
                    new RingState(cluster.requireRing(), policies.defaults().n(), policies.configuredN(), maxValueSize));
        };
    }

    private static StorageKey key(ClientKey key) {
        return StorageKey.of(KeyNames.requireValidBucket(key.bucket()), KeyNames.requireValidKey(key.key()));
    }

    private BucketPolicy policy(StorageKey key) {
        return coordinator.policy(key.bucket());
    }

    /** 0 asks for the bucket's own quorum. */
    private int quorum(StorageKey key, String name, int requested, int fallback) {
        return requested == 0 ? fallback : policy(key).requireQuorum(name, requested);
    }

    private VersionVector context(CausalContext context) {
        return context.isNone() ? VersionVector.empty() : contexts.decode(context.token());
    }

    private ReadResult read(VersionedValue value) {
        CausalContext context = value.clock().entries().isEmpty() ? CausalContext.NONE
                : new CausalContext(contexts.encode(value.clock()));
        return new ReadResult(value.live().stream().map(sibling -> new Value(sibling.content().value(),
                sibling.content().contentType() != null ? sibling.content().contentType() : Value.OCTET_STREAM,
                sibling.content().timestamp())).toList(), context);
    }

    private CompletableFuture<ClientMessage> written(CompletableFuture<VersionedValue> write) {
        return write.thenApply(stored -> new ClientWritten(ringVersion(), new CausalContext(contexts.encode(stored.clock())),
                stored.live().size()));
    }

    private long ringVersion() {
        return cluster.ring().map(Ring::version).orElse(0L);
    }

    private ClientMessage failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return switch (cause) {
            case QuorumNotReachedException q -> new ClientFailure(ringVersion(), FailureKind.QUORUM_NOT_REACHED,
                    q.getMessage(), q.answered(), q.required());
            case ValueTooLarge large -> failure(FailureKind.VALUE_TOO_LARGE, large.getMessage());
            case StorageFullException full -> failure(FailureKind.STORAGE_FULL, full.getMessage());
            case ClusterUnavailableException unavailable -> failure(FailureKind.UNAVAILABLE, unavailable.getMessage());
            case IllegalArgumentException bad -> failure(FailureKind.BAD_REQUEST, bad.getMessage());
            default -> {
                log.warn("Client request failed", cause);
                yield failure(FailureKind.INTERNAL, String.valueOf(cause.getMessage()));
            }
        };
    }

    private ClientFailure failure(FailureKind kind, String reason) {
        return new ClientFailure(ringVersion(), kind, reason, 0, 0);
    }

    /** A value over the node's limit. */
    private static final class ValueTooLarge extends RuntimeException {
        ValueTooLarge(String message) {
            super(message);
        }
    }
}
