package dev.dynamo.node.kv;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.node.coordination.QuorumNotReachedException;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.storage.ObjectLimitException;
import dev.dynamo.node.storage.StorageFullException;

/**
 * Why a data request failed, in the one vocabulary both doors translate into their own (a problem
 * document, a client failure); the message is fit to show to the client.
 */
public final class KvFailure extends RuntimeException {

    /** What went wrong, from the client's side. */
    public enum Kind {
        /** the bucket, key, content type, quorum or context is not valid; retrying cannot help */
        BAD_REQUEST,
        /** the value is over {@code dynamo.limits.max-value-size} */
        VALUE_TOO_LARGE,
        /** fewer replicas than the quorum answered in time: {@link #answered()} of {@link #required()} */
        QUORUM_NOT_REACHED,
        /** the cluster cannot serve the key now: no ring yet, or no replica reachable */
        UNAVAILABLE,
        /** a replica's store is full */
        STORAGE_FULL,
        /** the write would pass {@code dynamo.limits.max-siblings} or {@code .max-object-size}; nothing was stored */
        OBJECT_LIMIT,
        /** a conditional write's condition did not hold; nothing was written; {@link #context()} is the key's now */
        CONDITION_FAILED
    }

    private final Kind kind;
    private final int answered;
    private final int required;
    private final String context;

    private KvFailure(Kind kind, String message, int answered, int required, Throwable cause) {
        this(kind, message, answered, required, null, cause);
    }

    private KvFailure(Kind kind, String message, int answered, int required, String context, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.answered = answered;
        this.required = required;
        this.context = context;
    }

    /** @param context the key's current context, or null when the replies held nothing */
    static KvFailure conditionFailed(String message, String context) {
        return new KvFailure(Kind.CONDITION_FAILED, message, 0, 0, context, null);
    }

    static KvFailure badRequest(String reason) {
        return new KvFailure(Kind.BAD_REQUEST, reason, 0, 0, null);
    }

    static KvFailure tooLarge(long limit) {
        return new KvFailure(Kind.VALUE_TOO_LARGE,
                "value is larger than the limit of " + limit + " bytes (dynamo.limits.max-value-size)", 0, 0, null);
    }

    /**
     * {@code error} as a failure of this vocabulary when it is one the coordinator reports; anything else
     * (a bug, say) as it is.
     */
    static Throwable of(Throwable error) {
        Throwable cause = Futures.cause(error);
        return switch (cause) {
            case QuorumNotReachedException q ->
                    new KvFailure(Kind.QUORUM_NOT_REACHED, q.getMessage(), q.answered(), q.required(), q);
            case ClusterUnavailableException u -> new KvFailure(Kind.UNAVAILABLE, u.getMessage(), 0, 0, u);
            case StorageFullException full -> new KvFailure(Kind.STORAGE_FULL, full.getMessage(), 0, 0, full);
            case ObjectLimitException limit -> new KvFailure(Kind.OBJECT_LIMIT, limit.getMessage(), 0, 0, limit);
            default -> cause;
        };
    }

    public Kind kind() {
        return kind;
    }

    /** How many replicas answered, for {@link Kind#QUORUM_NOT_REACHED}; else 0. */
    public int answered() {
        return answered;
    }

    /** How many replicas were needed, for {@link Kind#QUORUM_NOT_REACHED}; else 0. */
    public int required() {
        return required;
    }

    /** The key's context as the read quorum returned it, for {@link Kind#CONDITION_FAILED}; else, or when none, null. */
    public String context() {
        return context;
    }
}
