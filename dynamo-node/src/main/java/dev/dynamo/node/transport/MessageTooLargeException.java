package dev.dynamo.node.transport;

/**
 * A request too large for a frame, refused before it was sent: the fault is the message's, not the
 * peer's, so it says nothing about whether the peer is reachable.
 */
public class MessageTooLargeException extends TransportException {

    public MessageTooLargeException(String message) {
        super(message);
    }
}
