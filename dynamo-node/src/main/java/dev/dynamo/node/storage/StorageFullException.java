package dev.dynamo.node.storage;

/** The store has no room for a write ({@code dynamo.storage.max-size} reached); nothing was changed. */
public class StorageFullException extends StorageException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
