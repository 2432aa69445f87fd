package dev.dynamo.node.coordination;

import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.Message.Failure.Kind;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.storage.StorageFullException;
import dev.dynamo.node.antientropy.PartitionTrees;
import dev.dynamo.node.antientropy.TombstoneReaper;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transport.MessageHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Serves what other nodes ask of this one: who it is, its replica of a key, coordinated writes, and
 * batches of a partition it hands to a new owner, gossip, tree exchanges and tombstone reaping. The one place where incoming
 * messages are dispatched.
 */
public final class ReplicaService implements MessageHandler {

    private final ClusterView cluster;
    private final RequestCoordinator coordinator;
    private final PartitionSource partitions;
    private final Gossiper gossiper;
    private final PartitionTrees trees;
    private final TombstoneReaper reaper;

    public ReplicaService(ClusterView cluster, RequestCoordinator coordinator, PartitionSource partitions,
            Gossiper gossiper, PartitionTrees trees, TombstoneReaper reaper) {
        this.trees = trees;
        this.reaper = reaper;
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.partitions = partitions;
        this.gossiper = gossiper;
    }

    @Override
    public CompletableFuture<Message> handle(Message request) {
        try {
            return serve(request).exceptionally(ReplicaService::failure);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private CompletableFuture<Message> serve(Message request) {
        return switch (request) {
            case Message.Describe describe -> CompletableFuture.completedFuture(new Message.Described(cluster.self()));
            case Message.ReplicaRead read ->
                    CompletableFuture.completedFuture(new Message.ReplicaValue(coordinator.readLocal(read.key(), read.hintFor())));
            case Message.ReplicaWrite write ->
                    coordinator.writeLocal(write.key(), write.value(), write.hintFor()).thenApply(ok -> new Message.Ack());
            case Message.CoordinateWrite write -> coordinator.coordinateWrite(write.key(), write.context(),
                    write.content(), write.w()).thenApply(Message.Coordinated::new);
            case Message.PartitionRead read -> partitions.serve(read);
            case Message.GossipSyn syn -> CompletableFuture.completedFuture(gossiper.answer(syn));
            case Message.GossipPush push -> CompletableFuture.completedFuture(gossiper.accept(push));
            case Message.TreeRead read -> trees.serve(read);
            case Message.LeafRead read -> trees.serve(read);
            case Message.TombstoneCheck check -> reaper.serve(check);
            case Message.TombstoneReap reap -> reaper.serve(reap);
            default -> CompletableFuture.completedFuture(
                    new Message.Failure(Kind.BAD_REQUEST, "not a request: " + request.getClass().getSimpleName()));
        };
    }

    private static Message failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return switch (cause) {
            case QuorumNotReachedException q -> new Message.QuorumFailed(q.answered(), q.required());
            case StorageFullException full -> new Message.Failure(Kind.STORAGE_FULL, full.getMessage());
            case ClusterUnavailableException unavailable -> new Message.Failure(Kind.UNAVAILABLE, unavailable.getMessage());
            case IllegalArgumentException bad -> new Message.Failure(Kind.BAD_REQUEST, bad.getMessage());
            default -> new Message.Failure(Kind.INTERNAL, String.valueOf(cause.getMessage()));
        };
    }
}
