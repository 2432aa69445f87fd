package dev.dynamo.node.membership;

/** A membership request named a node the view does not know. */
public class UnknownMemberException extends RuntimeException {

    public UnknownMemberException(String message) {
        super(message);
    }
}
