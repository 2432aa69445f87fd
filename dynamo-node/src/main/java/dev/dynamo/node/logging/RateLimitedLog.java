package dev.dynamo.node.logging;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One log line at most per interval for an event a remote party can cause at will (refused
 * connections, garbled frames): the first is logged, those within the interval after it are counted,
 * and the next logged line says how many were left out. A flood of them cannot fill the disk or hide
 * everything else.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastLogged;
    private boolean loggedOnce;
    private long suppressed;

    public RateLimitedLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    public RateLimitedLog(Logger log, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Logs {@code message} at WARN unless a line was logged within the interval; whether it logged. */
    public boolean warn(String message) {
        long left;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (loggedOnce && now - lastLogged < intervalNanos) {
                suppressed++;
                return false;
            }
            loggedOnce = true;
            lastLogged = now;
            left = suppressed;
            suppressed = 0;
        }
        if (left > 0) {
            log.warn("{} ({} more like it in the last interval, not logged)", message, left);
        } else {
            log.warn(message);
        }
        return true;
    }
}
