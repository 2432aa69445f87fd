package dev.dynamo.node.transport;

import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What the binary client connections of one node may take, so that no client, careless or hostile, can
 * take the node's memory or its connections from the others. Peers, who hold the cluster secret, are
 * bound only by {@link TransportProperties}.
 *
 * @param maxConnections           client connections open at once; one more is refused with the reason
 * @param maxConnectionsPerAddress client connections from one IP address at once; one more is refused
 * @param idleTimeout              a client connection with no request for this long is closed
 * @param maxPendingRequests       a connection's requests served at once; past it reading from it pauses
 * @param maxInFlightBytes         bytes of one connection's requests being served and replies being written;
 *                                 past it reading from it pauses until some are done
 * @param maxNodeInFlightBytes     the same over all client connections of the node
 */
@ConfigurationProperties("dynamo.transport.clients")
public record ClientLimits(
        @DefaultValue("1024") int maxConnections,
        @DefaultValue("128") int maxConnectionsPerAddress,
        @DefaultValue("5m") Duration idleTimeout,
        @DefaultValue("256") int maxPendingRequests,
        @DefaultValue("64MB") DataSize maxInFlightBytes,
        @DefaultValue("128MB") DataSize maxNodeInFlightBytes) {

    /** The defaults, for transports made without Spring. */
    public static final ClientLimits DEFAULTS = new ClientLimits(1024, 128, Duration.ofMinutes(5), 256,
            DataSize.ofMegabytes(64), DataSize.ofMegabytes(128));

    /** Refuses settings that make no sense, naming the property. */
    public ClientLimits {
        requireAtLeastOne(maxConnections, "max-connections");
        requireAtLeastOne(maxConnectionsPerAddress, "max-connections-per-address");
        requireAtLeastOne(maxPendingRequests, "max-pending-requests");
        Objects.requireNonNull(idleTimeout, "dynamo.transport.clients.idle-timeout is required");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("dynamo.transport.clients.idle-timeout must be positive, got " + idleTimeout);
        }
        Objects.requireNonNull(maxInFlightBytes, "dynamo.transport.clients.max-in-flight-bytes is required");
        Objects.requireNonNull(maxNodeInFlightBytes, "dynamo.transport.clients.max-node-in-flight-bytes is required");
        if (maxInFlightBytes.toBytes() < 1 || maxNodeInFlightBytes.compareTo(maxInFlightBytes) < 0) {
            throw new IllegalArgumentException("dynamo.transport.clients.max-in-flight-bytes must be positive and at most "
                    + "max-node-in-flight-bytes, got " + maxInFlightBytes + " and " + maxNodeInFlightBytes);
        }
    }

    private static void requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("dynamo.transport.clients." + name + " must be at least 1, got " + value);
        }
    }
}
