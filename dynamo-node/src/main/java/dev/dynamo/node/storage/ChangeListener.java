package dev.dynamo.node.storage;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.VersionedValue;

/**
 * Told of every change of a key's state in this replica, once it is durable, on the storage engine's
 * writer thread: it must be quick and must not block. {@code before} and {@code after} are the states
 * the stored change went from and to (empty for none), so a listener summing over changes telescopes
 * to the stored state whatever order changes of different keys are reported in.
 */
@FunctionalInterface
public interface ChangeListener {

    /** Listens to nothing. */
    ChangeListener NONE = (key, before, after) -> { };

    void changed(StorageKey key, VersionedValue before, VersionedValue after);
}
