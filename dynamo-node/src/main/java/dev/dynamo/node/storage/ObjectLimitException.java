package dev.dynamo.node.storage;

/** A client's write refused because it would pass an {@link ObjectLimits} limit; nothing was stored. */
public class ObjectLimitException extends RuntimeException {

    public ObjectLimitException(String message) {
        super(message);
    }
}
