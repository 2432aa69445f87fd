package dev.dynamo.node.membership;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A member that failed a request is skipped for a backoff that doubles with each consecutive
 * failure, up to a ceiling; after the backoff the next real request probes it, and any reply clears
 * the record. Simple and local, as Dynamo's own detector (DeCandia et al. 2007, section 4.8.3).
 */
public final class BackoffFailureDetector implements FailureDetector {

    private final InstantSource clock;
    private final long initialMillis;
    private final long maxMillis;
    private final ConcurrentHashMap<String, Suspicion> suspected = new ConcurrentHashMap<>();

    private record Suspicion(int failures, long until) {
    }

    public BackoffFailureDetector(InstantSource clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    @Override
    public boolean isAvailable(String id) {
        Suspicion s = suspected.get(id);
        return s == null || clock.millis() >= s.until();
    }

    @Override
    public void succeeded(String id) {
        suspected.remove(id);
    }

    @Override
    public void failed(String id) {
        suspected.compute(id, (k, s) -> {
            int failures = s == null ? 1 : s.failures() + 1;
            long backoff = Math.min(maxMillis, initialMillis << Math.min(failures - 1, 20));
            return new Suspicion(failures, clock.millis() + backoff);
        });
    }
}
