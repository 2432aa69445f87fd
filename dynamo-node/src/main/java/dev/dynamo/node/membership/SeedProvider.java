package dev.dynamo.node.membership;

import java.util.List;

/**
 * Where a node finds its cluster: the internode addresses ({@code host:port}) of seeds. At first
 * start, seeds that list the node itself form the cluster together; later, gossip turns to a seed
 * now and then so that logical partitions heal, and a node outside the cluster learns it from them.
 */
public interface SeedProvider {

    /** The seeds now. May ask a discovery service: callers ask at most about once a gossip round. */
    List<String> seeds();
}
