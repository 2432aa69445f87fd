package dev.dynamo.node.scheduling;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control for background work (DeCandia et al. 2007, section 6.5): anti-entropy and
 * partition transfers go on only while foreground requests are fast, judged by their recent latency
 * against a limit. Each caller decides what yielding means for it (end a round, pause a transfer).
 * Thread-safe when the latency source is.
 */
public final class AdmissionControl {

    private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);

    private final String work;
    private final Duration limit;
    private final Supplier<Duration> latency;

    /**
     * @param work    what yields, for the log
     * @param limit   the highest recent foreground latency at which the work goes on; zero lets it always go on
     * @param latency the recent foreground latency, such as the p99 of client requests
     */
    public AdmissionControl(String work, Duration limit, Supplier<Duration> latency) {
        this.work = work;
        this.limit = limit;
        this.latency = latency;
    }

    /** Whether the work may go on now: the limit is off or the recent latency is within it. */
    public boolean admits() {
        if (limit.isZero()) {
            return true;
        }
        Duration recent = latency.get();
        if (recent.compareTo(limit) <= 0) {
            return true;
        }
        log.debug("{} yields to client requests: recent p99 {} ms, above {} ms", work, recent.toMillis(),
                limit.toMillis());
        return false;
    }
}
