package dev.dynamo.node.transport;

/** A request did not get a reply: the peer is unreachable, refused us, timed out, or is overloaded. */
public class TransportException extends RuntimeException {

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
