package dev.dynamo.client;

import dev.dynamo.core.client.FailureKind;

/** The bucket, key, quorum or context is not valid; retrying cannot help. */
public class InvalidRequestException extends DynamoException {

    public InvalidRequestException(String message) {
        super(FailureKind.BAD_REQUEST, message, null);
    }
}
