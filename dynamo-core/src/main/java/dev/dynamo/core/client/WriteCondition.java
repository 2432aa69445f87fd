package dev.dynamo.core.client;

/**
 * What a conditional write requires of a key's state as the coordinator reads it with quorum R
 * before writing: checked against R replies, not linearizable (see the README's "Conditional writes").
 * New conditions go last: the wire carries the ordinal.
 */
public enum WriteCondition {
    /** No live value among the replies (HTTP {@code If-None-Match: *}); deleted keys count as absent. */
    ABSENT,
    /** The replies' merged causal context is exactly the one given (HTTP {@code If-Match: <context>}). */
    MATCHES
}
