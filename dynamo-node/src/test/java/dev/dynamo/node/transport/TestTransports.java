package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.util.unit.DataSize;

/** Transports on loopback for tests, closed together when the test ends. */
final class TestTransports implements AutoCloseable {

    static final String SECRET = "test secret";

    private final List<NettyTransport> opened = new ArrayList<>();

    /** Settings for a test: a free port, short timeouts, two network threads. */
    static TransportProperties properties(Duration requestTimeout, int maxPendingRequests, DataSize maxFrameSize) {
        return new TransportProperties("127.0.0.1", 0, requestTimeout, Duration.ofSeconds(1), maxPendingRequests,
                maxFrameSize, 2);
    }

    static TransportProperties properties() {
        return properties(Duration.ofSeconds(5), 4096, DataSize.ofMegabytes(16));
    }

    /** A handler that answers every request with the request itself. */
    static CompletableFuture<Message> echo(Message request) {
        return CompletableFuture.completedFuture(request);
    }

    /** A handler that counts its calls and never answers. */
    static MessageHandler silent(AtomicInteger calls) {
        return request -> {
            calls.incrementAndGet();
            return new CompletableFuture<>();
        };
    }

    NettyTransport started(TransportProperties properties, String secret, MessageHandler handler) {
        NettyTransport transport = client(properties, secret);
        transport.start(handler);
        return transport;
    }

    /** A started transport whose client connections are held to {@code clientLimits}. */
    NettyTransport started(ClientLimits clientLimits, MessageHandler handler) {
        NettyTransport transport = new NettyTransport(properties(), clientLimits, peerKey(SECRET));
        opened.add(transport);
        transport.start(handler);
        return transport;
    }

    /** A started transport with the test secret whose connections are secured by {@code tls}. */
    NettyTransport started(TransportTls tls, MessageHandler handler) {
        NettyTransport transport = client(tls);
        transport.start(handler);
        return transport;
    }

    /** A transport with the test secret that only sends, securing its connections by {@code tls}. */
    NettyTransport client(TransportTls tls) {
        NettyTransport transport = new NettyTransport(properties(), ClientLimits.DEFAULTS, peerKey(SECRET), tls);
        opened.add(transport);
        return transport;
    }

    NettyTransport started(MessageHandler handler) {
        return started(properties(), SECRET, handler);
    }

    /** A transport that only sends: it is never started. */
    NettyTransport client(TransportProperties properties, String secret) {
        NettyTransport transport = new NettyTransport(properties, ClientLimits.DEFAULTS, peerKey(secret));
        opened.add(transport);
        return transport;
    }

    NettyTransport client() {
        return client(properties(), SECRET);
    }

    @Override
    public void close() {
        opened.forEach(NettyTransport::close);
    }

    /**
     * The peer key of {@code secret} as these tests make it: its SHA-256, which {@link RawPeer} signs
     * with too (a node derives its key with HKDF, see {@code secret.ClusterSecret}); the empty secret
     * makes a key like any other.
     */
    static byte[] peerKey(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
