package dev.dynamo.client;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.FailureKind;

/**
 * A conditional write ({@link DynamoClient#putIfAbsent}, {@link DynamoClient#replace}) found the key's state
 * not as it required; nothing was written. {@link #current()} is the context of the state it found, to
 * retry {@code replace} with after deciding on the value.
 */
public class ConditionFailedException extends DynamoException {

    private final CausalContext current;

    public ConditionFailedException(String message, CausalContext current) {
        super(FailureKind.CONDITION_FAILED, message, null);
        this.current = current;
    }

    /** The context of the key's state as the node read it; {@link CausalContext#NONE} when it held nothing. */
    public CausalContext current() {
        return current;
    }
}
