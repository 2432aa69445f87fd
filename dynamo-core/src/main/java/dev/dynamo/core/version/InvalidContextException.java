package dev.dynamo.core.version;

import java.io.Serial;

/** A causal context token that cannot be trusted or read; the message says why in plain words. */
public class InvalidContextException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A rejection with a message fit to show to the client. */
    public InvalidContextException(String message) {
        super(message);
    }
}
