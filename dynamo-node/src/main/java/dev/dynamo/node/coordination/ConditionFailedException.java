package dev.dynamo.node.coordination;

import dev.dynamo.core.version.VersionedValue;

/** A conditional write's condition did not hold for the state its read quorum returned; nothing was written. */
public class ConditionFailedException extends RuntimeException {

    private final transient VersionedValue current;

    public ConditionFailedException(String message, VersionedValue current) {
        super(message);
        this.current = current;
    }

    /** The key's state as the read quorum returned it. */
    public VersionedValue current() {
        return current;
    }
}
