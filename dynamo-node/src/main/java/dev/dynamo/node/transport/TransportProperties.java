package dev.dynamo.node.transport;

import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The internode transport: where a node listens and how patiently it talks to its peers.
 *
 * @param host               address the node binds and advertises to peers
 * @param port               internode port; 0 picks a free one
 * @param requestTimeout     how long a request to a peer may wait for its reply
 * @param connectTimeout     how long connecting to a peer and authenticating may take
 * @param maxPendingRequests requests that may wait on one peer at once, more fail at once; also how many of a
 *                           peer's requests are served at once before reading from it pauses
 * @param maxFrameSize       largest frame a node sends or accepts; a larger request fails, a larger incoming
 *                           frame closes its connection
 * @param ioThreads          network threads; 0 means one per processor
 */
@ConfigurationProperties("dynamo.transport")
public record TransportProperties(
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("7070") int port,
        @DefaultValue("2s") Duration requestTimeout,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("4096") int maxPendingRequests,
        @DefaultValue("16MB") DataSize maxFrameSize,
        @DefaultValue("0") int ioThreads) {

    /** Frames carry a length in an int; a gigabyte leaves room for the prefix and header. */
    private static final DataSize LARGEST_FRAME = DataSize.ofGigabytes(1);
    /** The handshake's longest frame (a proof and a nonce) must fit. */
    private static final DataSize SMALLEST_FRAME = DataSize.ofBytes(64);

    /** Refuses settings the transport cannot work with, naming the property. */
    public TransportProperties {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("dynamo.transport.host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("dynamo.transport.port must be 0 to 65535, got " + port);
        }
        requirePositive(requestTimeout, "request-timeout");
        requirePositive(connectTimeout, "connect-timeout");
        if (maxPendingRequests < 1) {
            throw new IllegalArgumentException(
                    "dynamo.transport.max-pending-requests must be at least 1, got " + maxPendingRequests);
        }
        Objects.requireNonNull(maxFrameSize, "dynamo.transport.max-frame-size is required");
        if (maxFrameSize.compareTo(SMALLEST_FRAME) < 0 || maxFrameSize.compareTo(LARGEST_FRAME) > 0) {
            throw new IllegalArgumentException("dynamo.transport.max-frame-size must be between "
                    + SMALLEST_FRAME + " and " + LARGEST_FRAME + ", got " + maxFrameSize);
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException(
                    "dynamo.transport.io-threads must be 0 (one per processor) or more, got " + ioThreads);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, () -> "dynamo.transport." + name + " is required");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("dynamo.transport." + name + " must be positive, got " + value);
        }
    }
}
