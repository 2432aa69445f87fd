/** Who the nodes of the cluster are and whether they answer: identity, formation, gossip, failure detection. */
package dev.dynamo.node.membership;
