package dev.dynamo.node.transport;

/** Whether the transport's port speaks TLS; the steps a live cluster takes from clear to TLS, one rolling restart each. */
public enum TlsMode {
    /** Clear connections only, accepted and dialled. */
    OFF,
    /**
     * Accepts clear and TLS connections on the same port, telling them apart by their first byte, and dials
     * peers with TLS: the step between, while some nodes and clients still speak clear.
     */
    TRANSITIONAL,
    /** TLS only: a clear connection fails the TLS handshake and is closed. */
    REQUIRED
}
