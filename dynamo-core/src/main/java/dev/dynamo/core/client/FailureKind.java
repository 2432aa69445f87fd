package dev.dynamo.core.client;

/** Why a node refused or failed a client request. New kinds go last: the wire carries the ordinal. */
public enum FailureKind {
    /** the bucket, key, quorum or context is not valid; retrying cannot help */
    BAD_REQUEST,
    /** the value is over the node's limit ({@code dynamo.limits.max-value-size}) */
    VALUE_TOO_LARGE,
    /** fewer replicas than the quorum answered in time; the reply says how many */
    QUORUM_NOT_REACHED,
    /** the node cannot serve now: no ring yet, or no replica of the key reachable */
    UNAVAILABLE,
    /** the replica's store is full */
    STORAGE_FULL,
    /** anything else; the reason says what */
    INTERNAL,
    /** the node needs credentials and the connection presented none or wrong ones ({@code dynamo.security.data-api}) */
    UNAUTHENTICATED,
    /**
     * the write would leave the key with more siblings or a larger object than the node allows
     * ({@code dynamo.limits.max-siblings}, {@code .max-object-size}); read it, resolve the siblings and
     * write back with the read's context
     */
    OBJECT_LIMIT,
    /**
     * a conditional write's condition did not hold at the read quorum; nothing was written. The reply
     * carries the key's current context
     */
    CONDITION_FAILED
}
