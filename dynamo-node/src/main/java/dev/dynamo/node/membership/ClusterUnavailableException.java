package dev.dynamo.node.membership;

/** The cluster cannot serve a request now: no ring yet, or no replica of the key reachable. */
public class ClusterUnavailableException extends RuntimeException {

    public ClusterUnavailableException(String message) {
        super(message);
    }
}
