package dev.dynamo.node.storage;

/** When a committed write is forced to disk ({@code dynamo.storage.sync}). */
public enum SyncPolicy {
    /** fsync every group commit before acknowledging: an acknowledged write survives power loss. */
    ALWAYS,
    /** fsync on a timer ({@code dynamo.storage.sync-interval}): a crash of the OS or power loses at most that window; a crash of the process alone loses nothing. */
    INTERVAL,
    /** never fsync, not even at close; the OS writes back when it likes: survives a process crash, not an OS crash. */
    NEVER
}
