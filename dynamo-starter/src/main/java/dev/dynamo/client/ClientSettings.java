package dev.dynamo.client;

import dev.dynamo.core.client.Credentials;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a {@link NettyDynamoClient} finds and talks to a cluster.
 *
 * @param seeds               the nodes' transport addresses ({@code host:port}) to learn the ring from; asked
 *                            again whenever no node of the known ring answers
 * @param connectTimeout      how long opening a connection to a node may take
 * @param requestTimeout      how long a request may wait for its node's reply
 * @param retries             how many more times a request is tried, after a backoff, when no node received it
 *                            (any request: it was never sent) or, for a read, when none could serve it
 * @param retryBackoff        the first backoff, doubled for each retry
 * @param ringRefreshInterval how often the ring is fetched again; a reply from a node with a newer ring fetches
 *                            it at once
 * @param routing             send each request to a node of its key's preference list; false sends it to any
 *                            node, which then coordinates or forwards it (for comparison)
 * @param r                   the read quorum of every read that asks for none ({@link DynamoClient#BUCKET_QUORUM});
 *                            0 leaves it to the bucket
 * @param w                   the write quorum of every write or delete that asks for none; 0 leaves it to the bucket
 * @param credentials         the account presented to every node, or null to present none
 * @param maxFrameSize        the largest frame in bytes accepted from a node: a larger one closes the connection
 *                            before it is buffered; as large as the nodes' {@code dynamo.transport.max-frame-size},
 *                            which no reply of a node exceeds
 * @param tls                 the TLS context connections are opened with (it verifies the nodes' certificates and,
 *                            by Netty's default, that they name the host dialled), or null to talk in clear
 */
public record ClientSettings(Supplier<List<String>> seeds, Duration connectTimeout, Duration requestTimeout,
        int retries, Duration retryBackoff, Duration ringRefreshInterval, boolean routing, int r, int w,
        Credentials credentials, int maxFrameSize, SslContext tls) {

    /** The nodes' default {@code dynamo.transport.max-frame-size}. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 << 20;

    public ClientSettings {
        Objects.requireNonNull(seeds, "seeds");
        requirePositive(connectTimeout, "connect-timeout");
        requirePositive(requestTimeout, "request-timeout");
        requirePositive(retryBackoff, "retry-backoff");
        requirePositive(ringRefreshInterval, "ring-refresh-interval");
        if (retries < 0) {
            throw new IllegalArgumentException("dynamo.client.retries must be 0 or more, got " + retries);
        }
        requireQuorum(r, "r", "R");
        requireQuorum(w, "w", "W");
        if (maxFrameSize < 1024) {
            throw new IllegalArgumentException("dynamo.client.max-frame-size must be at least 1KB, got " + maxFrameSize);
        }
    }

    /** Settings with the defaults of {@code dynamo.client.*} and the given seeds. */
    public static ClientSettings of(List<String> seeds) {
        List<String> fixed = List.copyOf(seeds);
        return new ClientSettings(() -> fixed, Duration.ofSeconds(1), Duration.ofSeconds(5), 2,
                Duration.ofMillis(50), Duration.ofSeconds(30), true, DynamoClient.BUCKET_QUORUM,
                DynamoClient.BUCKET_QUORUM, null, DEFAULT_MAX_FRAME_SIZE, null);
    }

    /** These settings with {@code routing} on or off. */
    public ClientSettings withRouting(boolean routing) {
        return new ClientSettings(seeds, connectTimeout, requestTimeout, retries, retryBackoff, ringRefreshInterval,
                routing, r, w, credentials, maxFrameSize, tls);
    }

    /** These settings with default quorums {@code r} and {@code w} (0: the bucket's own). */
    public ClientSettings withQuorums(int r, int w) {
        return new ClientSettings(seeds, connectTimeout, requestTimeout, retries, retryBackoff, ringRefreshInterval,
                routing, r, w, credentials, maxFrameSize, tls);
    }

    /** These settings presenting {@code credentials} (null: none) to every node. */
    public ClientSettings withCredentials(Credentials credentials) {
        return new ClientSettings(seeds, connectTimeout, requestTimeout, retries, retryBackoff, ringRefreshInterval,
                routing, r, w, credentials, maxFrameSize, tls);
    }

    /**
     * These settings opening every connection with TLS by {@code tls} (null: in clear), a client context such as
     * {@code SslContextBuilder.forClient().trustManager(theNodesCa).build()}.
     */
    public ClientSettings withTls(SslContext tls) {
        return new ClientSettings(seeds, connectTimeout, requestTimeout, retries, retryBackoff, ringRefreshInterval,
                routing, r, w, credentials, maxFrameSize, tls);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, () -> "dynamo.client." + name + " is required");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("dynamo.client." + name + " must be positive, got " + value);
        }
    }

    /** The upper bound is the bucket's N, which only the node knows: it refuses a larger quorum per request. */
    private static void requireQuorum(int quorum, String name, String bucketName) {
        if (quorum < 0) {
            throw new IllegalArgumentException("dynamo.client." + name + " must be 0 (the bucket's own " + bucketName
                    + ") or a quorum from 1 to the bucket's N, got " + quorum);
        }
    }
}
