package dev.dynamo.core.version;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of one write. {@code timestamp} is milliseconds from the caller's injected clock, used
 * for last-write-wins and shown to users; a delete is a write whose {@code tombstone} is true.
 *
 * <p>The value array is not copied, so that megabyte values are not copied on every read and merge:
 * callers must not change it after handing it over. {@code contentType} may be null (callers normally
 * pass {@link #DEFAULT_CONTENT_TYPE}); the codecs keep null as null.
 */
public record Content(byte[] value, String contentType, long timestamp, boolean tombstone) {

    /** The content type to use when the writer gave none. */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private static final byte[] NOTHING = new byte[0];

    /** @throws NullPointerException when the value is null; an empty value is fine */
    public Content {
        Objects.requireNonNull(value, "value");
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
                && Objects.equals(contentType, other.contentType)
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), contentType, timestamp, tombstone);
    }

    /** Says how long the value is rather than printing it: values can be megabytes. */
    @Override
    public String toString() {
        return (tombstone ? "Tombstone[" : "Content[" + value.length + " bytes, " + contentType + ", ")
                + "timestamp=" + timestamp + "]";
    }
}
