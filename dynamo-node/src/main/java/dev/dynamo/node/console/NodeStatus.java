package dev.dynamo.node.console;

import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.metrics.DynamoMetrics.RequestStats;
import dev.dynamo.node.storage.StorageEngine;
import java.util.List;

/**
 * The console's live document about this node, read on every poll: its hint queues, request counts
 * and latency percentiles, anti-entropy totals and storage size. Rates are left to the console,
 * which divides the differences of the counts between two polls.
 */
public final class NodeStatus {

    /** Hints counted per owner up to this many; a longer queue shows as "at least". */
    private static final int HINT_COUNT_LIMIT = 10_000;

    private final String self;
    private final HintStore hints;
    private final DynamoMetrics metrics;
    private final AntiEntropyJob antiEntropy;
    private final StorageEngine engine;

    public NodeStatus(String self, HintStore hints, DynamoMetrics metrics, AntiEntropyJob antiEntropy,
            StorageEngine engine) {
        this.self = self;
        this.hints = hints;
        this.metrics = metrics;
        this.antiEntropy = antiEntropy;
        this.engine = engine;
    }

    /** The status document. */
    public record Status(String node, long storageBytes, List<HintQueue> hints, List<RequestStats> requests,
            AntiEntropyTotals antiEntropy) {
    }

    /** The hints this node keeps for {@code owner}: {@code count}, or at least that many when {@code capped}. */
    public record HintQueue(String owner, int count, boolean capped) {
    }

    /** This node's anti-entropy since it started. */
    public record AntiEntropyTotals(long exchanges, long keysRepaired, long bytesExchanged, long deferredRounds) {
    }

    public Status status() {
        List<HintQueue> queues = hints.owners().stream().map(owner -> {
            int count = hints.count(owner, HINT_COUNT_LIMIT);
            return new HintQueue(owner, count, count == HINT_COUNT_LIMIT);
        }).toList();
        return new Status(self, engine.sizeInBytes(), queues, metrics.requestStats(),
                new AntiEntropyTotals(antiEntropy.exchanges(), antiEntropy.keysRepaired(), antiEntropy.bytesExchanged(),
                        antiEntropy.deferredRounds()));
    }
}
