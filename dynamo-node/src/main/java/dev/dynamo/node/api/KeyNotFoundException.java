package dev.dynamo.node.api;

import dev.dynamo.core.key.StorageKey;

/** No live value for a key (404); {@code context} covers its tombstones, if it has any. */
final class KeyNotFoundException extends RuntimeException {

    private final String context;

    KeyNotFoundException(StorageKey key, String context) {
        super("no value stored under " + key);
        this.context = context;
    }

    String context() {
        return context;
    }
}
