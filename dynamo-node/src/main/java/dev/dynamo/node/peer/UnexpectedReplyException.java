package dev.dynamo.node.peer;

import dev.dynamo.core.wire.Message;
import dev.dynamo.node.transport.TransportException;
import java.util.Optional;

/** A peer answered, but not what the request asks for: a {@link Message.Failure}, or a reply of another request. */
public class UnexpectedReplyException extends TransportException {

    private final transient Message reply;

    public UnexpectedReplyException(String peer, Message reply) {
        super(peer + " answered " + reply);
        this.reply = reply;
    }

    /** What the peer answered. */
    public Message reply() {
        return reply;
    }

    /** The failure the peer answered with, if it answered one. */
    public Optional<Message.Failure> failure() {
        return reply instanceof Message.Failure failure ? Optional.of(failure) : Optional.empty();
    }
}
