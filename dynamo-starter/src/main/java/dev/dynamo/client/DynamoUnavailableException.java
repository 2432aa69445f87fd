package dev.dynamo.client;

import dev.dynamo.core.client.FailureKind;

/**
 * No node could serve the request: none reachable, none answered in time, or none able to (no ring
 * yet, no replica reachable). A write that timed out may still have been applied.
 */
public class DynamoUnavailableException extends DynamoException {

    public DynamoUnavailableException(String message, Throwable cause) {
        super(FailureKind.UNAVAILABLE, message, cause);
    }
}
