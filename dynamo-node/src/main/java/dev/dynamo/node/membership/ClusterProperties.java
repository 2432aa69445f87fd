package dev.dynamo.node.membership;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cluster this node belongs to.
 *
 * @param secret shared by every node of the cluster; signs the causal contexts handed to clients
 *               (a context from another cluster is rejected) and, with replication, authenticates
 *               nodes to each other
 */
@ConfigurationProperties("dynamo.cluster")
public record ClusterProperties(@DefaultValue("") String secret) {
}
