package dev.dynamo.core.version;

import java.util.Objects;

/** One write still standing in a key's state: its dot and what it wrote. */
public record Sibling(Dot dot, Content content) {

    /** @throws NullPointerException when either part is missing */
    public Sibling {
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(content, "content");
    }
}
