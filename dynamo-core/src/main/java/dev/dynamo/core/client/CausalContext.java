package dev.dynamo.core.client;

import java.util.Objects;

/**
 * The opaque causal context of a read (DeCandia et al. 2007, section 4.4): hand it back with the next
 * write of the key to say which versions the write supersedes. It is the same token the HTTP API
 * carries in {@code X-Dynamo-Context}, made and checked by the nodes, so contexts move freely
 * between the two APIs; the client never looks inside.
 */
public record CausalContext(String token) {

    /** No context: a write that supersedes nothing it has seen (a blind write). */
    public static final CausalContext NONE = new CausalContext("");

    /** @throws NullPointerException when the token is null; the empty token is {@link #NONE} */
    public CausalContext {
        Objects.requireNonNull(token, "token");
    }

    /** Whether this is {@link #NONE}. */
    public boolean isNone() {
        return token.isEmpty();
    }

    @Override
    public String toString() {
        return isNone() ? "CausalContext[none]" : "CausalContext[" + token + "]";
    }
}
