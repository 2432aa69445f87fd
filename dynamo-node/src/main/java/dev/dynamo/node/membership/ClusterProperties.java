package dev.dynamo.node.membership;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cluster this node belongs to.
 *
 * @param secret     shared by every node of the cluster; authenticates nodes to each other (a node
 *                   without it can neither read nor write replicas) and signs the causal contexts
 *                   handed to clients (a context from another cluster is rejected)
 * @param seeds      the internode addresses ({@code host:port}) of the cluster's nodes; empty: this
 *                   node is a cluster of one
 * @param partitions the number of ring partitions Q, a power of two, fixed when the cluster forms
 */
@ConfigurationProperties("dynamo.cluster")
public record ClusterProperties(@DefaultValue("") String secret, @DefaultValue List<String> seeds,
        @DefaultValue("256") int partitions) {
}
