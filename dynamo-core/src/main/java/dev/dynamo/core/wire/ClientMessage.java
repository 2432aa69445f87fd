package dev.dynamo.core.wire;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.ring.Ring;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the client protocol ({@link ClientProtocol}): what an application's client asks of
 * any node, and the node's answers. Apart from the internode {@link Message}s, so that a client
 * connection carries nothing else and a client library holds nothing of the peers' protocol.
 */
public sealed interface ClientMessage {

    /** What a client asks; each request names its reply, and any may be answered by {@link ClientFailure}. */
    sealed interface Request extends ClientMessage {
    }

    /** What a node answers a {@link Request}. */
    sealed interface Reply extends ClientMessage {
    }

    /** Reads a key with quorum {@code r}, 0 for the bucket's own. Reply: {@link ClientRead}. */
    record ClientGet(ClientKey key, int r) implements Request {
        public ClientGet {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Writes {@code value} (its {@code lastModified} is ignored: the coordinator stamps the write)
     * superseding what {@code context} covers, with quorum {@code w}, 0 for the bucket's own; readers stop
     * seeing it {@code ttlMillis} after the node takes it (0: the bucket's TTL, if any). Reply: {@link ClientWritten}.
     */
    record ClientPut(ClientKey key, CausalContext context, Value value, int w, long ttlMillis) implements Request {
        public ClientPut {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(value, "value");
        }

        /** A put with the bucket's TTL. */
        public ClientPut(ClientKey key, CausalContext context, Value value, int w) {
            this(key, context, value, w, 0);
        }
    }

    /** Deletes a key (writes a tombstone) superseding {@code context}. Reply: {@link ClientWritten}. */
    record ClientDelete(ClientKey key, CausalContext context, int w) implements Request {
        public ClientDelete {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(context, "context");
        }
    }

    /**
     * Writes {@code value} only when {@code condition} holds for the key's state read with quorum {@code r}
     * ({@link WriteCondition#MATCHES}: that state's context is {@code context}); the write then supersedes
     * that state, with quorum {@code w}. 0 for either quorum is the bucket's own; {@code ttlMillis} as in
     * {@link ClientPut}. Reply: {@link ClientWritten}, or {@link ClientConditionFailed} when the condition did
     * not hold.
     */
    record ClientConditionalPut(ClientKey key, WriteCondition condition, CausalContext context, Value value, int r,
                                int w, long ttlMillis) implements Request {
        public ClientConditionalPut {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Asks for the next page of a bucket's live keys, in unsigned byte order: at most {@code limit} of them,
     * each after {@code after} ({@code null}: from the first key). Any node serves it. Reply: {@link ClientKeyPage}.
     */
    record ClientListKeys(String bucket, byte[] after, int limit) implements Request {
        public ClientListKeys {
            Objects.requireNonNull(bucket, "bucket");
        }

        /** By the bound's bytes, as {@link ClientKey} compares keys, so that a decoded request equals the one sent. */
        @Override
        public boolean equals(Object o) {
            return o instanceof ClientListKeys other && bucket.equals(other.bucket) && Arrays.equals(after, other.after)
                    && limit == other.limit;
        }

        @Override
        public int hashCode() {
            return Objects.hash(bucket, Arrays.hashCode(after), limit);
        }
    }

    /** Asks a node for its ring and replica counts. Reply: {@link RingState}. */
    record RingFetch() implements Request {
    }

    /** What a read found; {@code ringVersion} is the answering node's, so a client learns its ring is stale. */
    record ClientRead(long ringVersion, ReadResult result) implements Reply {
        public ClientRead {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The write reached its quorum; {@code context} covers it, and {@code siblings} is how many values
     * the key holds at the coordinator after it: more than one means a concurrent write.
     */
    record ClientWritten(long ringVersion, CausalContext context, int siblings) implements Reply {
        public ClientWritten {
            Objects.requireNonNull(context, "context");
        }
    }

    /**
     * A page of a bucket's keys, in unsigned byte order; {@code next} is the {@code after} of the following
     * page, {@code null} when the listing is complete. A page may hold fewer keys than asked, even none, and
     * still have a next one.
     */
    record ClientKeyPage(long ringVersion, List<byte[]> keys, byte[] next) implements Reply {
        public ClientKeyPage {
            keys = List.copyOf(keys);
        }

        /** By the keys' bytes, so that a decoded page equals the one sent. */
        @Override
        public boolean equals(Object o) {
            return o instanceof ClientKeyPage other && ringVersion == other.ringVersion
                    && Arrays.deepEquals(keys.toArray(), other.keys.toArray()) && Arrays.equals(next, other.next);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ringVersion, Arrays.deepHashCode(keys.toArray()), Arrays.hashCode(next));
        }
    }

    /**
     * A node's ring, the N of its buckets ({@code defaultN}, or the bucket's own in {@code bucketN}), and
     * the largest value it takes, so a client refuses larger ones before they cost a connection.
     */
    record RingState(Ring ring, int defaultN, Map<String, Integer> bucketN, long maxValueSize) implements Reply {
        public RingState {
            Objects.requireNonNull(ring, "ring");
            bucketN = Map.copyOf(bucketN);
        }
    }

    /**
     * A request failed for a reason of {@code kind}; {@code answered} and {@code required} say how many
     * replicas answered and were needed when the kind is {@link FailureKind#QUORUM_NOT_REACHED}, else 0.
     */
    record ClientFailure(long ringVersion, FailureKind kind, String reason, int answered, int required)
            implements Reply {
        public ClientFailure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A conditional write's condition did not hold; nothing was written. {@code current} is the context of
     * the key's state as read ({@link CausalContext#NONE} when the replies held nothing), for a retry.
     */
    record ClientConditionFailed(long ringVersion, String reason, CausalContext current) implements Reply {
        public ClientConditionFailed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(current, "current");
        }
    }

    /**
     * The node did nothing with the request: it serves no clients now (it is starting or stopping), so
     * another node may serve it, a write included.
     */
    record NotServed(String reason) implements Reply {
        public NotServed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
