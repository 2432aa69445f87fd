package dev.dynamo.node.assembly;

import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.bucket.ReplicationProperties;
import dev.dynamo.node.handoff.HandoffProperties;
import dev.dynamo.node.kv.LimitsProperties;
import dev.dynamo.node.membership.GossipProperties;
import dev.dynamo.node.secret.ClusterSecret;
import dev.dynamo.node.transfer.TransferProperties;
import dev.dynamo.node.truncation.TruncationProperties;

/**
 * Every setting a node's parts take, each concern's in its own record.
 *
 * @param replication N, R, W, the request timeout and the conflict policy, per bucket
 * @param partitions  Q, the ring's partitions when this node forms a cluster
 * @param secret      the cluster's secret, which signs the causal contexts handed to clients
 * @param limits      what one data request may carry
 * @param truncation  how fast a bucket truncation deletes
 */
public record NodeSettings(ReplicationProperties replication, int partitions, GossipProperties gossip,
        HandoffProperties handoff, AntiEntropyProperties antiEntropy, TransferProperties transfer,
        ClusterSecret secret, LimitsProperties limits, TruncationProperties truncation) {
}
