package dev.dynamo.node.api;

/** A value over {@code dynamo.limits.max-value-size} (413). */
final class ValueTooLargeException extends RuntimeException {
    ValueTooLargeException(long limit) {
        super("value is larger than the limit of " + limit + " bytes (dynamo.limits.max-value-size)");
    }
}
