package dev.dynamo.node.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    /** Peers that answered our TLS in clear, to be dialled in clear the next time (transitional mode only). */
    private final Set<String> answeredInClear = ConcurrentHashMap.newKeySet();

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

    /**
     * Secures a connection we dial to {@code peer}: with TLS unless the mode is off, or it is transitional
     * and the peer answered our last attempt in clear.
     */
    void secureDialled(Channel channel, InetSocketAddress peer, Duration timeout) {
        if (mode != TlsMode.OFF && !answeredInClear.remove(name(peer))) {
            channel.pipeline().addFirst(withTimeout(contexts.dialling().newHandler(channel.alloc(),
                    peer.getHostString(), peer.getPort()), timeout));
        }
    }

    /**
     * {@code peer} answered our TLS handshake in clear: in transitional mode, a node still in mode off, which
     * the next connection is dialled to in clear, once (a connection after that tries TLS again, so a node
     * restarted with TLS is reached with TLS). Whoever can inject bytes can thus make one connection clear,
     * as any clear party can connect in this mode; the cluster secret still authenticates it.
     */
    void answeredInClear(InetSocketAddress peer) {
        if (mode == TlsMode.TRANSITIONAL) {
            answeredInClear.add(name(peer));
        }
    }

    private static String name(InetSocketAddress peer) {
        return peer.getHostString() + ":" + peer.getPort();
    }

    private SslHandler accepting(Channel channel, Duration timeout) {
        return withTimeout(contexts.accepting().newHandler(channel.alloc()), timeout);
    }

    private static SslHandler withTimeout(SslHandler handler, Duration timeout) {
        handler.setHandshakeTimeoutMillis(timeout.toMillis());
        return handler;
    }
}
