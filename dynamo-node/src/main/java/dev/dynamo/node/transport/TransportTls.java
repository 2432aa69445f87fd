package dev.dynamo.node.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * TLS on the transport's connections, by {@link TlsMode}: puts an {@link SslHandler} first in the
 * pipeline of accepted and dialled connections. Holds the Netty contexts of the node's current
 * certificate; {@link #use} replaces them when the certificate is rotated, so that new connections
 * present the new one while established connections carry on with theirs.
 */
public final class TransportTls {

    /** Every connection in clear. */
    public static final TransportTls OFF = new TransportTls(TlsMode.OFF, null, null);

    private record Contexts(SslContext accepting, SslContext dialling) {
    }

    private final TlsMode mode;
    private volatile Contexts contexts;

    /**
     * @param accepting presents our certificate to whoever connects, verifies theirs when they present one
     * @param dialling  presents our certificate to the peers we dial and verifies theirs
     */
    public TransportTls(TlsMode mode, SslContext accepting, SslContext dialling) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (mode != TlsMode.OFF) {
            use(accepting, dialling);
        }
    }

    /** New connections use these contexts from now on; established ones keep theirs. */
    public void use(SslContext accepting, SslContext dialling) {
        contexts = new Contexts(Objects.requireNonNull(accepting, "accepting"), Objects.requireNonNull(dialling, "dialling"));
    }

    TlsMode mode() {
        return mode;
    }

    /**
     * Secures a connection a party opened to us. In transitional mode a {@link TlsDetector} decides; it
     * waits for the first bytes a quarter of {@code timeout} at most, since a clear peer sends nothing
     * before our challenge.
     */
    void secureAccepted(Channel channel, Duration timeout) {
        switch (mode) {
            case OFF -> { }
            case TRANSITIONAL -> channel.pipeline().addFirst(new TlsDetector(() -> accepting(channel, timeout),
                    timeout.dividedBy(4)));
            case REQUIRED -> channel.pipeline().addFirst(accepting(channel, timeout));
        }
    }

    /** Secures a connection we dial to {@code peer}: with TLS unless the mode is off. */
    void secureDialled(Channel channel, InetSocketAddress peer, Duration timeout) {
        if (mode != TlsMode.OFF) {
            channel.pipeline().addFirst(withTimeout(contexts.dialling().newHandler(channel.alloc(),
                    peer.getHostString(), peer.getPort()), timeout));
        }
    }

    private SslHandler accepting(Channel channel, Duration timeout) {
        return withTimeout(contexts.accepting().newHandler(channel.alloc()), timeout);
    }

    private static SslHandler withTimeout(SslHandler handler, Duration timeout) {
        handler.setHandshakeTimeoutMillis(timeout.toMillis());
        return handler;
    }
}
