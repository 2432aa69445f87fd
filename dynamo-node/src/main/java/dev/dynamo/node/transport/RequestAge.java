package dev.dynamo.node.transport;

/**
 * How long ago a peer sent a request, read by the two nodes' monotonic clocks, not their wall clocks
 * (which may be set apart by any amount, or jump). The dialling side sends its monotonic time in its
 * handshake answer and with every request; the accepting side pairs the handshake's with its own time
 * of receipt. An age read this way falls short of the true age by the handshake's one-way delay, which
 * the connect timeout bounds.
 *
 * <p>Why it matters: a request held up in a paused process or in a TCP buffer behind a partition may
 * arrive long after its sender gave up on it. Served then, an old replica write could land after the
 * tombstone it predates was reaped and bring a deleted value back; so such requests are refused.
 */
final class RequestAge {

    private final long peerAtHandshake;
    private final long receivedAtHandshake;

    /** @param peerAtHandshake the peer's {@link #now} when it sent its handshake answer, received just now */
    RequestAge(long peerAtHandshake) {
        this.peerAtHandshake = peerAtHandshake;
        this.receivedAtHandshake = now();
    }

    /** This JVM's monotonic clock in milliseconds: meaningful only as differences within the JVM. */
    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** Milliseconds since the peer sent a request it stamped {@code sentAt} (its {@link #now}). */
    long of(long sentAt) {
        return (now() - receivedAtHandshake) - (sentAt - peerAtHandshake);
    }
}
