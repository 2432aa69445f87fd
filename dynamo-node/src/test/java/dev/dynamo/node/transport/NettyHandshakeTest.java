package dev.dynamo.node.transport;

import static dev.dynamo.node.transport.NettyTransportTest.assertFailsWith;
import static dev.dynamo.node.transport.TestTransports.SECRET;
import static dev.dynamo.node.transport.TestTransports.properties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.wire.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The handshake and the framing as seen from a plain socket: what a stranger or a broken peer can get. */
class NettyHandshakeTest {

    private final TestTransports transports = new TestTransports();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void close() {
        transports.close();
    }

    private NettyTransport server(TransportProperties properties) {
        return transports.started(properties, SECRET, request -> {
            calls.incrementAndGet();
            return TestTransports.echo(request);
        });
    }

    @Test
    void aPeerThatFollowsTheProtocolIsServed() throws IOException {
        try (RawPeer peer = RawPeer.connect(server(properties()))) {
            peer.authenticate(SECRET);
            peer.sendRequest(42, new Message.Describe());

            assertThat(peer.readReply(42)).isEqualTo(new Message.Describe());
        }
    }

    @Test
    void aRequestArrivingAfterItsSenderStoppedWaitingIsNotActedOn() throws IOException {
        TransportProperties properties = properties();
        try (RawPeer peer = RawPeer.connect(server(properties))) {
            peer.authenticate(SECRET);
            // as if a partition or a paused receiver had held it up past the sender's timeout
            peer.sendRequestSentAgo(7, new Message.Describe(), properties.requestTimeout().toMillis() + 1_000);
            peer.sendRequest(8, new Message.Describe());

            assertThat(peer.readReply(7)).isInstanceOfSatisfying(Message.Failure.class, failure -> {
                assertThat(failure.kind()).isEqualTo(Message.Failure.Kind.UNAVAILABLE);
                assertThat(failure.detail()).contains("after its sender stopped waiting");
            });
            assertThat(peer.readReply(8)).isEqualTo(new Message.Describe());
            assertThat(calls).as("only the fresh request reached the handler").hasValue(1);
        }
    }

    @Test
    void requestsFromAPeerThatSkipsTheHandshakeAreNotServed() throws IOException {
        try (RawPeer peer = RawPeer.connect(server(properties()))) {
            peer.readFrame(); // the challenge, ignored
            peer.sendRequestUnlessClosed(1, new Message.Describe());

            assertThat(peer.closedByPeer()).isTrue();
        }
        assertThat(calls).hasValue(0);
    }

    @Test
    void aWrongProofIsRefusedWithoutTheServerProvingItself() throws IOException {
        try (RawPeer peer = RawPeer.connect(server(properties()))) {
            byte[] challenge = peer.readFrame();
            peer.writeFrame(RawPeer.hmac("another secret", "client", challenge), new byte[ClusterKey.NONCE]);
            peer.sendRequestUnlessClosed(1, new Message.Describe());

            assertThat(peer.closedByPeer()).isTrue();
        }
        assertThat(calls).hasValue(0);
    }

    @Test
    void aPeerThatSaysNothingIsDisconnectedAfterTheConnectTimeout() throws IOException {
        TransportProperties impatient = new TransportProperties("127.0.0.1", 0, Duration.ofSeconds(5),
                Duration.ofMillis(200), 16, DataSize.ofMegabytes(1), 1);
        try (RawPeer peer = RawPeer.connect(server(impatient))) {
            peer.readFrame();

            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void anOversizedFrameClosesTheConnectionBeforeItArrivesAndTheNodeServesOn() throws Exception {
        TransportProperties small = properties(Duration.ofSeconds(5), 16, DataSize.ofKilobytes(64));
        NettyTransport server = server(small);
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.authenticate(SECRET);
            peer.writeLengthOnly(64 * 1024 + 1);

            assertThat(peer.closedByPeer()).isTrue();
        }
        assertThat(calls).hasValue(0);
        assertThat(transports.client().request(server.localAddress(), new Message.Ack()).get(5, TimeUnit.SECONDS))
                .isEqualTo(new Message.Ack());
    }

    @Test
    void beforeAuthenticationAFrameLargerThanAHandshakeClosesTheConnection() throws IOException {
        try (RawPeer peer = RawPeer.connect(server(properties()))) {
            peer.readFrame();
            peer.writeLengthOnly(ClusterKey.PROOF + ClusterKey.NONCE + 1);

            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void anUndecodableFrameClosesTheConnection() throws IOException {
        try (RawPeer peer = RawPeer.connect(server(properties()))) {
            peer.authenticate(SECRET);
            peer.writeFrame(ByteBuffer.allocate(9).putLong(1).put((byte) 0).array(), new byte[] {127, 1, 2});

            assertThat(peer.closedByPeer()).isTrue();
        }
        assertThat(calls).hasValue(0);
    }

    @Test
    void aServerThatCannotProveTheSecretGetsNoRequest() throws Exception {
        ExecutorService fake = Executors.newSingleThreadExecutor();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(5_000);
            Future<Boolean> hungUpWithoutRequest = fake.submit(() -> {
                try (RawPeer client = new RawPeer(listener.accept())) {
                    client.writeFrame(ClusterKey.nonce());
                    client.readFrame(); // the client's proof and challenge
                    byte[] wrongProof = new byte[ClusterKey.PROOF];
                    new SecureRandom().nextBytes(wrongProof);
                    client.writeFrame(wrongProof);
                    return client.closedByPeer();
                }
            });
            String address = "127.0.0.1:" + listener.getLocalPort();

            CompletableFuture<Message> reply = transports.client().request(address, new Message.Describe());

            assertFailsWith(reply, address + " failed authentication (cluster secret differs)");
            assertThat(hungUpWithoutRequest.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            fake.shutdownNow();
        }
    }
}
