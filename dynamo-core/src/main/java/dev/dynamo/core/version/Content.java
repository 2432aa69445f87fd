package dev.dynamo.core.version;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of one write. {@code timestamp} is milliseconds from the caller's injected clock, used
 * for last-write-wins and shown to users; a delete is a write whose {@code tombstone} is true.
 * {@code expiresAt} is the wall-clock millisecond from which readers no longer see the value (a TTL
 * made absolute by the node that took the write), or {@link #NEVER}.
 *
 * <p>The value array is not copied, so that megabyte values are not copied on every read and merge:
 * callers must not change it after handing it over. {@code contentType} may be null (callers normally
 * pass {@link #DEFAULT_CONTENT_TYPE}); the codecs keep null as null.
 */
public record Content(byte[] value, String contentType, long timestamp, boolean tombstone, long expiresAt) {

    /** The content type to use when the writer gave none. */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    /** The {@code expiresAt} of content that does not expire. */
    public static final long NEVER = 0;

    private static final byte[] NOTHING = new byte[0];

    /**
     * @throws NullPointerException when the value is null; an empty value is fine
     * @throws IllegalArgumentException when a tombstone expires, or {@code expiresAt} is negative
     */
    public Content {
        Objects.requireNonNull(value, "value");
        if (expiresAt < 0 || tombstone && expiresAt != NEVER) {
            throw new IllegalArgumentException("expiresAt must be " + NEVER + " (never) or a positive time, and "
                    + NEVER + " for a tombstone, got " + expiresAt);
        }
    }

    /** Content that does not expire. */
    public Content(byte[] value, String contentType, long timestamp, boolean tombstone) {
        this(value, contentType, timestamp, tombstone, NEVER);
    }

    /** Whether readers no longer see this value at wall-clock millisecond {@code now}. */
    public boolean expired(long now) {
        return expiresAt != NEVER && now >= expiresAt;
    }

    /** This content with {@code timestamp}, as the coordinator stamps a write. */
    public Content stamped(long timestamp) {
        return new Content(value, contentType, timestamp, tombstone, expiresAt);
    }

    /** A delete made at {@code timestamp}: no value, default content type. */
    public static Content tombstone(long timestamp) {
        return new Content(NOTHING, DEFAULT_CONTENT_TYPE, timestamp, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Content other
                && timestamp == other.timestamp
                && tombstone == other.tombstone
                && expiresAt == other.expiresAt
                && Objects.equals(contentType, other.contentType)
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), contentType, timestamp, tombstone, expiresAt);
    }

    /** Says how long the value is rather than printing it: values can be megabytes. */
    @Override
    public String toString() {
        return (tombstone ? "Tombstone[" : "Content[" + value.length + " bytes, " + contentType + ", ")
                + "timestamp=" + timestamp + (expiresAt == NEVER ? "" : ", expiresAt=" + expiresAt) + "]";
    }
}
