package dev.dynamo.core.version;

/** What a key keeps when writes are concurrent. */
public enum ConflictPolicy {
    /** Keep every concurrent write and let the reader resolve them (DeCandia et al. 2007, section 4.4). */
    SIBLINGS,
    /** Keep only the write with the greatest (timestamp, actor, counter); concurrent writes are lost. */
    LWW
}
