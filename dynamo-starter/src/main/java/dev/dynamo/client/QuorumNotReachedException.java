package dev.dynamo.client;

import dev.dynamo.core.client.FailureKind;

/** Fewer replicas than the quorum answered in time: {@link #answered()} of {@link #required()}. */
public class QuorumNotReachedException extends DynamoException {

    private final int answered;
    private final int required;

    public QuorumNotReachedException(String message, int answered, int required) {
        super(FailureKind.QUORUM_NOT_REACHED, message, null);
        this.answered = answered;
        this.required = required;
    }

    public int answered() {
        return answered;
    }

    public int required() {
        return required;
    }
}
