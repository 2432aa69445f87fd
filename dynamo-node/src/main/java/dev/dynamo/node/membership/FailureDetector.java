package dev.dynamo.node.membership;

/**
 * Decides, from this node's own experience of talking to peers, which ones are worth asking. Fed
 * by every request's outcome; thread-safe.
 */
public interface FailureDetector {

    /** Whether a request to member {@code id} is worth sending now. */
    boolean isAvailable(String id);

    /** A request to {@code id} got a reply. */
    void succeeded(String id);

    /** A request to {@code id} got no reply. */
    void failed(String id);
}
