package dev.dynamo.core.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One value as an application sees it: its bytes, its content type, and when its writer's
 * coordinator stored it ({@code lastModified}, epoch milliseconds; 0 in a value not yet written).
 * The bytes are not copied: do not change them after handing them over.
 */
public record Value(byte[] bytes, String contentType, long lastModified) {

    /** The content type of a value written without one. */
    public static final String OCTET_STREAM = "application/octet-stream";

    /** @throws NullPointerException when the bytes or the content type are null */
    public Value {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
    }

    /** A value to write. */
    public static Value of(byte[] bytes, String contentType) {
        return new Value(bytes, contentType, 0);
    }

    /** A UTF-8 text value to write, {@code text/plain; charset=UTF-8}. */
    public static Value text(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8), "text/plain;charset=UTF-8");
    }

    /** The bytes as UTF-8 text. */
    public String asText() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value other && lastModified == other.lastModified
                && contentType.equals(other.contentType) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(bytes), contentType, lastModified);
    }

    @Override
    public String toString() {
        return "Value[" + bytes.length + " bytes, " + contentType + ", lastModified=" + lastModified + "]";
    }
}
