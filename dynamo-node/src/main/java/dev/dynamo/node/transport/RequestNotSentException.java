package dev.dynamo.node.transport;

/**
 * A request that never left this node: the peer could not be reached or authenticated, or too many
 * requests already wait for it. Unlike a timeout, the peer certainly did not act on it, so sending
 * it elsewhere cannot apply it twice.
 */
public class RequestNotSentException extends TransportException {

    public RequestNotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
