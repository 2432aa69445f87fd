package dev.dynamo.client;

/** A request never reached a node (no connection, or the connection ended before it was written): safe to send elsewhere. */
final class NotSentException extends DynamoUnavailableException {

    NotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
