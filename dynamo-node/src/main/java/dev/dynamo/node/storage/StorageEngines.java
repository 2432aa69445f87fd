package dev.dynamo.node.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Opens the engine a configuration names ({@code dynamo.storage.engine}). */
public final class StorageEngines {

    /** {@link LmdbStorageEngine}, the default. */
    public static final String LMDB = "lmdb";
    /** {@link H2StorageEngine}. */
    public static final String H2 = "h2";
    /** {@link MemoryStorageEngine}: nothing survives a restart. */
    public static final String MEMORY = "memory";

    private StorageEngines() {
    }

    /**
     * Opens {@code engine} (case-insensitive): {@code lmdb} or {@code h2} with its files in
     * {@code path}, a directory created if missing; {@code memory} ignores the path and sync
     * settings.
     *
     * @param maxSize      the most bytes the store may use
     * @param syncInterval how often to sync under {@link SyncPolicy#INTERVAL}; ignored otherwise
     * @throws IllegalArgumentException for an unknown engine name
     */
    public static StorageEngine open(String engine, Path path, long maxSize, SyncPolicy sync, Duration syncInterval) {
        return switch (engine == null ? "" : engine.toLowerCase(Locale.ROOT)) {
            case LMDB -> new LmdbStorageEngine(path, maxSize, sync, syncInterval);
            case H2 -> new H2StorageEngine(path, maxSize, sync, syncInterval);
            case MEMORY -> new MemoryStorageEngine(maxSize);
            default -> throw new IllegalArgumentException("unknown storage engine '" + engine
                    + "'; valid engines: " + LMDB + ", " + H2 + ", " + MEMORY);
        };
    }
}
