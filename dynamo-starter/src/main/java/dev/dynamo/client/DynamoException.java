package dev.dynamo.client;

import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;

/** A request failed; {@link #kind()} says why, the message gives the node's reason. Subclasses name the common kinds. */
public class DynamoException extends RuntimeException {

    private final FailureKind kind;

    public DynamoException(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Why the request failed. */
    public FailureKind kind() {
        return kind;
    }

    /** The exception for a node's failure reply. */
    static DynamoException of(ClientFailure failure) {
        return switch (failure.kind()) {
            case QUORUM_NOT_REACHED -> new QuorumNotReachedException(failure.reason(), failure.answered(),
                    failure.required());
            case VALUE_TOO_LARGE -> new ValueTooLargeException(failure.reason());
            case UNAVAILABLE -> new DynamoUnavailableException(failure.reason(), null);
            case BAD_REQUEST -> new InvalidRequestException(failure.reason());
            case UNAUTHENTICATED -> new AuthenticationFailedException(failure.reason());
            case STORAGE_FULL, INTERNAL, OBJECT_LIMIT, CONDITION_FAILED -> new DynamoException(failure.kind(), failure.reason(), null);
        };
    }
}
