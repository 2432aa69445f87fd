package dev.dynamo.node.storage;

import dev.dynamo.core.version.VersionedValue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How large a key's object (every sibling and its clock, as stored) may grow through a client's write,
 * checked by the coordinator before anything is stored. Past a limit the write is refused; from a
 * quarter of the sibling limit, or a fifth of the size limit, it is stored but counted as a warning, so
 * operators see keys whose clients never resolve their siblings before they are refused. Replicas take
 * what a coordinator stored, so an object that passed the limits can always be replicated, handed off
 * and transferred: the size limit stays well under the transport's frame limit.
 *
 */
public final class ObjectLimits {

    private final int maxSiblings;
    private final long maxObjectSize;
    private final AtomicLong warnings = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /**
     * @param maxSiblings   siblings (tombstones included) a key may hold after a write
     * @param maxObjectSize encoded bytes a key's object may take after a write
     */
    public ObjectLimits(int maxSiblings, long maxObjectSize) {
        this.maxSiblings = maxSiblings;
        this.maxObjectSize = maxObjectSize;
    }

    /** Writes stored near a limit so far. */
    public long warnings() {
        return warnings.get();
    }

    /** Writes refused for passing a limit so far. */
    public long refusals() {
        return refusals.get();
    }

    /** Why {@code next}, of {@code encodedSize} bytes, may not be stored; null when it may. */
    String refusal(VersionedValue next, int encodedSize) {
        int siblings = next.siblings().size();
        if (siblings > maxSiblings) {
            refusals.incrementAndGet();
            return "the write would leave " + siblings + " siblings, over dynamo.limits.max-siblings=" + maxSiblings
                    + ": read the key, resolve its siblings and write the result back with the read's context";
        }
        if (encodedSize > maxObjectSize) {
            refusals.incrementAndGet();
            return "the write would make the key's object " + encodedSize + " bytes (all siblings and clocks), over"
                    + " dynamo.limits.max-object-size=" + maxObjectSize + ": read the key, resolve its siblings and"
                    + " write the result back with the read's context, or store a smaller value";
        }
        return null;
    }

    /** Whether {@code next} is stored but near a limit. */
    boolean warns(VersionedValue next, int encodedSize) {
        boolean near = next.siblings().size() >= Math.max(2, maxSiblings / 4) || encodedSize >= maxObjectSize / 5;
        if (near) {
            warnings.incrementAndGet();
        }
        return near;
    }
}
