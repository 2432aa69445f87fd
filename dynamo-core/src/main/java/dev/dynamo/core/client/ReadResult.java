package dev.dynamo.core.client;

import java.util.List;
import java.util.Objects;

/**
 * What a read found: no value (absent or deleted), one value, or several concurrent ones (siblings),
 * and one causal context covering all of them. Writing back with that context supersedes them all,
 * which is how an application resolves siblings; a deleted key's context is not {@link
 * CausalContext#NONE}, so writing it again supersedes the delete.
 */
public record ReadResult(List<Value> siblings, CausalContext context) {

    public ReadResult {
        siblings = List.copyOf(siblings);
        Objects.requireNonNull(context, "context");
    }

    /** Whether the key holds a value. */
    public boolean isFound() {
        return !siblings.isEmpty();
    }

    /** Whether the key holds more than one concurrent value. */
    public boolean hasSiblings() {
        return siblings.size() > 1;
    }

    /**
     * The only value.
     *
     * @throws IllegalStateException when there is none, or siblings (resolve them first)
     */
    public Value value() {
        if (siblings.size() != 1) {
            throw new IllegalStateException(siblings.isEmpty() ? "the key holds no value"
                    : "the key holds " + siblings.size() + " siblings: resolve them first");
        }
        return siblings.getFirst();
    }
}
