/** The membership view nodes gossip: member entries, liveness heartbeats and the ring, merged as a join. */
package dev.dynamo.core.membership;
