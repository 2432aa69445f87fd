package dev.dynamo.node.coordination;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.metrics.DynamoMetrics;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one repair path: hands a replica the merged state of a key it is missing, in the background.
 * Read repair uses it now; anti-entropy hands its differing keys to it too.
 */
public final class ReadRepairs {

    private static final Logger log = LoggerFactory.getLogger(ReadRepairs.class);

    private final ReplicaCalls calls;
    private final DynamoMetrics metrics;

    ReadRepairs(ReplicaCalls calls, DynamoMetrics metrics) {
        this.calls = calls;
        this.metrics = metrics;
    }

    /**
     * Merges {@code merged} into {@code replica}'s copy of the key, without waiting for it; {@code sizes}
     * hears the encoded sizes of the exchange.
     */
    public void repair(Member replica, StorageKey key, VersionedValue merged, ConflictPolicy policy,
            IntConsumer sizes) {
        metrics.readRepairSent();
        calls.write(replica, key, merged, null, policy, sizes).whenComplete((ok, error) -> {
            if (error != null) {
                log.debug("read repair of {} on {} failed: {}", key, replica.id(), error.toString());
            }
        });
    }
}
