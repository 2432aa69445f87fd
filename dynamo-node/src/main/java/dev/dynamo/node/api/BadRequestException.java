package dev.dynamo.node.api;

/** A request the API refuses as malformed (400), with the reason shown to the client. */
final class BadRequestException extends RuntimeException {
    BadRequestException(String reason) {
        super(reason);
    }
}
