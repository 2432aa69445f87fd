package dev.dynamo.node.transport;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.wire.Message.Failure.Kind;
import dev.dynamo.core.wire.Message.PeerRequest;
import dev.dynamo.core.wire.Message;
import java.util.concurrent.CompletableFuture;

/**
 * Where peers' requests enter the node: each family goes to the concern that owns it (replicas to
 * coordination, gossip to membership, trees and tombstones to anti-entropy, partition reads to
 * transfers, key reads to listing). A reply is never dispatched as a request. A family's own failures are its handler's
 * to answer; anything else that fails becomes a {@link Message.Failure}: a bad argument as
 * BAD_REQUEST, the rest as INTERNAL.
 *
 * @param identity   answers who this node is
 * @param replicas   reads, writes and writes to coordinate of one replica
 * @param partitions batches of a partition for a node pulling it
 * @param gossip     membership exchanges
 * @param trees      anti-entropy's tree and leaf reads
 * @param tombstones tombstone reaping's checks and removals
 * @param keys       a key listing's reads of this replica's share
 */
public record PeerDispatcher(Family<Message.Describe> identity, Family<Message.ReplicaRequest> replicas,
        Family<Message.PartitionRead> partitions, Family<Message.GossipRequest> gossip,
        Family<Message.TreeRequest> trees, Family<Message.TombstoneRequest> tombstones,
        Family<Message.KeysRead> keys) implements MessageHandler {

    /** Serves one family of peer requests, on a transport thread: slow work completes the future later. */
    @FunctionalInterface
    public interface Family<R extends PeerRequest> {
        CompletableFuture<? extends Message> serve(R request);
    }

    @Override
    public CompletableFuture<Message> handle(Message message) {
        if (!(message instanceof PeerRequest request)) {
            return CompletableFuture.completedFuture(
                    new Message.Failure(Kind.BAD_REQUEST, "not a request: " + message.getClass().getSimpleName()));
        }
        CompletableFuture<? extends Message> reply;
        try {
            reply = switch (request) {
                case Message.Describe describe -> identity.serve(describe);
                case Message.ReplicaRequest replica -> replicas.serve(replica);
                case Message.PartitionRead read -> partitions.serve(read);
                case Message.GossipRequest exchange -> gossip.serve(exchange);
                case Message.TreeRequest read -> trees.serve(read);
                case Message.TombstoneRequest reaping -> tombstones.serve(reaping);
                case Message.KeysRead read -> keys.serve(read);
            };
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.<Message>thenApply(answer -> answer).exceptionally(PeerDispatcher::failure);
    }

    private static Message failure(Throwable error) {
        Throwable cause = Futures.cause(error);
        return cause instanceof IllegalArgumentException
                ? new Message.Failure(Kind.BAD_REQUEST, cause.getMessage())
                : new Message.Failure(Kind.INTERNAL, String.valueOf(cause.getMessage()));
    }
}
