package dev.dynamo.client;

/**
 * A request never reached a node (no connection, or the connection ended before it was written), or the node
 * answered that it serves no clients now: it was not acted on, so it is safe to send elsewhere or again.
 */
final class NotSentException extends DynamoUnavailableException {

    NotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
