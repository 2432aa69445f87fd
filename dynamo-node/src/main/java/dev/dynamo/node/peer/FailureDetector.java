package dev.dynamo.node.peer;

/**
 * Decides, from this node's own experience, which peers are worth asking: fed by the heartbeats
 * gossip brings and by every request's outcome. Its verdict is a local opinion, never a membership
 * change. Thread-safe.
 */
public interface FailureDetector {

    /** Whether a request to member {@code id} is worth sending now. */
    boolean isAvailable(String id);

    /** A request to {@code id} got a reply. */
    void succeeded(String id);

    /** A request to {@code id} got no reply. */
    void failed(String id);

    /** Gossip brought a newer heartbeat of {@code id}'s incarnation {@code generation}. */
    void heartbeat(String id, long generation);
}
