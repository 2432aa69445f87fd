package dev.dynamo.node.coordination;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.wire.Message.Failure.Kind;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.storage.ObjectLimitException;
import dev.dynamo.node.storage.StorageFullException;
import java.util.concurrent.CompletableFuture;

/**
 * Serves what other nodes ask of this node's replicas: its state of a key, writes to merge, and writes
 * it is to coordinate as a primary. Answers its own failures: a quorum not reached, a full store, a
 * node that serves no data.
 */
public final class ReplicaService {

    private final RequestCoordinator coordinator;

    public ReplicaService(RequestCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    /** The reply to a peer's replica request. */
    public CompletableFuture<Message> serve(Message.ReplicaRequest request) {
        CompletableFuture<Message> reply;
        try {
            reply = switch (request) {
                case Message.ReplicaRead read ->
                        CompletableFuture.completedFuture(new Message.ReplicaValue(coordinator.readLocal(read.key(), read.hintFor())));
                case Message.ReplicaWrite write ->
                        coordinator.writeLocal(write.key(), write.value(), write.hintFor()).thenApply(ok -> new Message.Ack());
                case Message.CoordinateWrite write -> coordinator.coordinateWrite(write.key(), write.context(),
                        write.content(), write.w()).thenApply(Message.Coordinated::new);
            };
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.exceptionally(ReplicaService::failure);
    }

    private static Message failure(Throwable error) {
        return switch (Futures.cause(error)) {
            case QuorumNotReachedException q -> new Message.QuorumFailed(q.answered(), q.required());
            case StorageFullException full -> new Message.Failure(Kind.STORAGE_FULL, full.getMessage());
            case ObjectLimitException limit -> new Message.Failure(Kind.OBJECT_LIMIT, limit.getMessage());
            case ClusterUnavailableException unavailable -> new Message.Failure(Kind.UNAVAILABLE, unavailable.getMessage());
            case IllegalArgumentException bad -> new Message.Failure(Kind.BAD_REQUEST, bad.getMessage());
            case Throwable other -> new Message.Failure(Kind.INTERNAL, String.valueOf(other.getMessage()));
        };
    }
}
