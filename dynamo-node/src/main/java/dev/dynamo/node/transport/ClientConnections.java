package dev.dynamo.node.transport;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts a node's open client connections, in total and per IP address, and refuses one past either
 * limit; a connection is counted from its admission until it closes.
 */
final class ClientConnections {

    private final int max;
    private final int maxPerAddress;
    private final ActiveCount open = new ActiveCount();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    ClientConnections(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts {@code channel} until it closes, or says why it may not open. */
    Optional<String> admit(Channel channel) {
        InetAddress address = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        if (open.increment() > max) {
            open.decrement();
            return Optional.of("the node has " + max + " client connections open, its limit "
                    + "(dynamo.transport.clients.max-connections); try again later");
        }
        boolean[] admitted = {false};
        perAddress.compute(address, (a, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < maxPerAddress;
            return admitted[0] ? now + 1 : count;
        });
        if (!admitted[0]) {
            open.decrement();
            return Optional.of("your address has " + maxPerAddress + " client connections open to this node, its "
                    + "limit (dynamo.transport.clients.max-connections-per-address); share connections");
        }
        channel.closeFuture().addListener(f -> {
            perAddress.computeIfPresent(address, (a, count) -> count > 1 ? count - 1 : null);
            open.decrement();
        });
        return Optional.empty();
    }

    /** Waits until no client connection is open, or {@code bound} has passed; true when none is. */
    boolean awaitNone(Duration bound) throws InterruptedException {
        return open.awaitZero(bound);
    }
}
