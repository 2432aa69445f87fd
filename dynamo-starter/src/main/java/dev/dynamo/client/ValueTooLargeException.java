package dev.dynamo.client;

import dev.dynamo.core.client.FailureKind;

/** The value is over the nodes' limit ({@code dynamo.limits.max-value-size}); nothing was written. */
public class ValueTooLargeException extends DynamoException {

    public ValueTooLargeException(String message) {
        super(FailureKind.VALUE_TOO_LARGE, message, null);
    }
}
