package dev.dynamo.core.version;

/** What a key keeps when writes are concurrent. */
public enum ConflictPolicy {
    /** Keep every concurrent write and let the reader resolve them (DeCandia et al. 2007, section 4.4). */
    SIBLINGS,
    /**
     * A write replaces what its context covers, as always, and also every older write (by timestamp, then
     * actor and counter) its coordinator holds; a reader is shown only the newest of the writes left. So a
     * write made after reading a value always replaces it, however the clocks stand; of concurrent writes
     * (none saw the other) the one with the greatest timestamp wins and the others are lost.
     */
    LWW
}
