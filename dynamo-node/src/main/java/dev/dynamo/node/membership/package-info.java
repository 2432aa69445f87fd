/** Who the nodes of the cluster are: this node's identity now; gossip and failure detection later. */
package dev.dynamo.node.membership;
