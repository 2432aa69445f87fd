package dev.dynamo.node.scheduling;

/**
 * A monotonic clock: nanoseconds from an arbitrary origin, meaningful only as differences within one
 * process. Unlike the wall clock it is never set back or forward, so a duration measured on it is
 * the time that really passed here, whatever another node's clock says. Production reads {@code
 * System.nanoTime}; the simulation its virtual time.
 */
@FunctionalInterface
public interface Ticker {

    long nanos();
}
