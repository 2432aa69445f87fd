package dev.dynamo.node.transport;

import static dev.dynamo.node.transport.NettyTransportTest.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dynamo.core.wire.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;

/** Transports talking over mutual TLS from SSL bundles, in each {@link TlsMode}, and what they refuse. */
class TlsTransportTest {

    private static final long WAIT_SECONDS = 5;

    @TempDir
    Path dir;

    private final TestTransports transports = new TestTransports();
    private TestCertificates.Authority cluster;

    @BeforeEach
    void authority() {
        cluster = TestCertificates.authority(dir, "cluster-ca");
    }

    @AfterEach
    void close() {
        transports.close();
    }

    private static TransportTls tls(TlsMode mode, SslBundle bundle) {
        return SslBundleTls.of(new TlsProperties(mode, "node", TlsProperties.ClientAuth.WANT),
                new DefaultSslBundleRegistry("node", bundle));
    }

    private TransportTls node(TlsMode mode, String name) {
        return tls(mode, cluster.issue(name).pemBundle());
    }

    private static Message send(NettyTransport client, NettyTransport server) throws Exception {
        return client.request(server.localAddress(), new Message.Describe()).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void threeNodesTalkOverMutualTls() throws Exception {
        NettyTransport a = transports.started(node(TlsMode.REQUIRED, "a"), TestTransports::echo);
        NettyTransport b = transports.started(node(TlsMode.REQUIRED, "b"), TestTransports::echo);
        NettyTransport c = transports.started(tls(TlsMode.REQUIRED, cluster.issue("c").jksBundle()), TestTransports::echo);

        assertThat(send(a, b)).isEqualTo(new Message.Describe());
        assertThat(send(b, c)).isEqualTo(new Message.Describe());
        assertThat(send(c, a)).isEqualTo(new Message.Describe());
    }

    @Test
    void aNodeWithACertificateOfAnotherAuthorityCannotConnectEitherWay() {
        NettyTransport ours = transports.started(node(TlsMode.REQUIRED, "ours"), TestTransports::echo);
        TestCertificates.Authority other = TestCertificates.authority(dir, "other-ca");
        NettyTransport stranger = transports.started(tls(TlsMode.REQUIRED, other.issue("stranger").pemBundle()),
                TestTransports::echo);

        assertFailsWith(stranger.request(ours.localAddress(), new Message.Describe()), "TLS handshake");
        assertFailsWith(ours.request(stranger.localAddress(), new Message.Describe()), "TLS handshake");
    }

    @Test
    void aClearPeerIsRefusedWhenTlsIsRequired() {
        NettyTransport server = transports.started(node(TlsMode.REQUIRED, "server"), TestTransports::echo);

        assertFailsWith(transports.client(TransportTls.OFF).request(server.localAddress(), new Message.Describe()),
                "authentication");
    }

    @Test
    void aTransitionalNodeAcceptsClearAndTlsPeersAndDialsWithTls() throws Exception {
        NettyTransport transitional = transports.started(node(TlsMode.TRANSITIONAL, "transitional"), TestTransports::echo);
        NettyTransport required = transports.started(node(TlsMode.REQUIRED, "required"), TestTransports::echo);

        assertThat(send(transports.client(TransportTls.OFF), transitional)).isEqualTo(new Message.Describe());
        assertThat(send(required, transitional)).isEqualTo(new Message.Describe());
        assertThat(send(transitional, required)).isEqualTo(new Message.Describe());
    }

    @Test
    void aTransitionalNodeDialsANodeThatAnsweredInClearInClearNextTime() {
        NettyTransport clear = transports.started(TransportTls.OFF, TestTransports::echo);
        NettyTransport transitional = transports.client(node(TlsMode.TRANSITIONAL, "transitional"));

        assertFailsWith(transitional.request(clear.localAddress(), new Message.Describe()), "TLS handshake");
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)) // after the peer's backoff
                .untilAsserted(() -> assertThat(send(transitional, clear)).isEqualTo(new Message.Describe()));
    }

    @Test
    void aClearClientIsServedByATransitionalNode() throws Exception {
        NettyTransport transitional = transports.started(node(TlsMode.TRANSITIONAL, "transitional"), TestTransports::echo);

        try (RawPeer client = RawPeer.connect(transitional)) {
            client.hello();
        }
    }

    @Test
    void aRotatedCertificateIsPresentedOnNewConnectionsWhileOldOnesCarryOn() throws Exception {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("node", cluster.issue("before").pemBundle());
        TransportTls rotating = SslBundleTls.of(new TlsProperties(TlsMode.REQUIRED, "node",
                TlsProperties.ClientAuth.WANT), bundles);
        NettyTransport server = transports.started(rotating, TestTransports::echo);
        NettyTransport peer = transports.client(node(TlsMode.REQUIRED, "peer"));
        assertThat(send(peer, server)).isEqualTo(new Message.Describe());

        TestCertificates.Issued after = cluster.issue("after");
        bundles.updateBundle("node", after.pemBundle());

        assertThat(presentedBy(server, after)).isEqualTo(after.read());
        assertThat(send(peer, server)).as("over the connection opened before").isEqualTo(new Message.Describe());
        assertThat(server.connectionsAccepted()).isEqualTo(2); // the peer's, and ours that read the certificate
    }

    @Test
    void aRelayHoldingAClusterCertificateButNotTheSecretCannotPassOnANodesProof() throws Exception {
        AtomicInteger served = new AtomicInteger();
        NettyTransport target = transports.started(node(TlsMode.REQUIRED, "target"), request -> {
            served.incrementAndGet();
            return TestTransports.echo(request);
        });
        NettyTransport victim = transports.started(node(TlsMode.REQUIRED, "victim"), TestTransports::echo);
        // a party that got a certificate of the cluster's CA (but not the secret) and gets the victim to dial it:
        // it ends the victim's TLS, opens its own to the target, and passes the handshake's frames both ways
        SSLContext relayTls = cluster.issue("relay").pemBundle().createSslContext();
        String targetAddress = target.localAddress();
        try (SSLServerSocket relay = (SSLServerSocket) relayTls.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            relay.setNeedClientAuth(true); // as a node asks: the victim presents its certificate and goes on
            Thread.ofVirtual().start(() -> relay(relay, relayTls, targetAddress));

            CompletableFuture<Message> reply = victim.request("127.0.0.1:" + relay.getLocalPort(), new Message.Describe());

            assertFailsWith(reply, "authentication");
            assertThat(served).as("the target served nothing through the relay").hasValue(0);
        }
    }

    @Test
    void aServerThatDoesNotAskForTheDialersCertificateIsNoNodeAndIsRefused() throws Exception {
        NettyTransport victim = transports.started(node(TlsMode.REQUIRED, "victim"), TestTransports::echo);
        SSLContext strangerTls = cluster.issue("stranger").pemBundle().createSslContext();
        try (SSLServerSocket stranger = (SSLServerSocket) strangerTls.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = stranger.accept()) {
                    accepted.getOutputStream().write(new byte[] {0, 0, 0, 32});
                    accepted.getOutputStream().write(ClusterKey.nonce()); // a challenge, as a node sends one
                    accepted.getInputStream().read();
                } catch (IOException e) {
                    // the victim hung up
                }
            });

            assertFailsWith(victim.request("127.0.0.1:" + stranger.getLocalPort(), new Message.Describe()),
                    "did not ask for our certificate");
        }
    }

    /** Accepts one connection and pipes its bytes to and from a new TLS connection to {@code targetAddress}. */
    private static void relay(SSLServerSocket relay, SSLContext tls, String targetAddress) {
        try (Socket fromVictim = relay.accept();
                Socket toTarget = tls.getSocketFactory().createSocket("127.0.0.1",
                        Integer.parseInt(targetAddress.substring(targetAddress.lastIndexOf(':') + 1)))) {
            Thread back = Thread.ofVirtual().start(() -> pipe(toTarget, fromVictim));
            pipe(fromVictim, toTarget);
            back.join(Duration.ofSeconds(WAIT_SECONDS));
        } catch (IOException | InterruptedException e) {
            // a side hung up: the relay is over
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // a side hung up
        } finally {
            try {
                to.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    /** The certificate {@code server} presents to a new TLS connection, opened with {@code trusted}'s material. */
    private static Object presentedBy(NettyTransport server, TestCertificates.Issued trusted) throws Exception {
        SSLContext context = trusted.pemBundle().createSslContext();
        String address = server.localAddress();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }
}
