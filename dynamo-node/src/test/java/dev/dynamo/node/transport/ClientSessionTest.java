package dev.dynamo.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's hello opens a session that reaches the client handler only, without the cluster secret, once
 * the client gate admits it.
 */
class ClientSessionTest {

    private final TestTransports transports = new TestTransports();

    private final List<Message> toPeers = new CopyOnWriteArrayList<>();
    private final List<Message> toClients = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        transports.close();
    }

    private NettyTransport server() {
        NettyTransport server = transports.started(request -> {
            toPeers.add(request);
            return CompletableFuture.completedFuture(new Message.Ack());
        });
        server.serveClients(request -> {
            toClients.add(request);
            return CompletableFuture.completedFuture(new Message.RingFetch());
        });
        return server;
    }

    @Test
    void everyRequestOfAClientSessionGoesToTheClientHandlerNeverToThePeers() throws Exception {
        NettyTransport server = server();
        Message replicaRead = new Message.ReplicaRead(StorageKey.of("b", new byte[] {1}), null);
        Message get = new Message.ClientGet(new ClientKey("b", "k".getBytes(StandardCharsets.UTF_8)), 0);
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(1, replicaRead);
            client.sendRequest(2, get);
            assertThat(client.readReply(1)).isEqualTo(new Message.RingFetch());
            assertThat(client.readReply(2)).isEqualTo(new Message.RingFetch());
        }
        assertThat(toClients).containsExactly(replicaRead, get);
        assertThat(toPeers).isEmpty();
    }

    @Test
    void peersStillAuthenticateAndReachThePeerHandler() throws Exception {
        NettyTransport server = server();
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.authenticate(TestTransports.SECRET);
            peer.sendRequest(1, new Message.Describe());
            assertThat(peer.readReply(1)).isEqualTo(new Message.Ack());
        }
        assertThat(toPeers).containsExactly(new Message.Describe());
        assertThat(toClients).isEmpty();
    }

    @Test
    void aGateRefusesAHelloWithItsReasonAndClosesAndAdmitsTheCredentialsItAccepts() throws Exception {
        NettyTransport server = server();
        server.admitClients(hello -> hello.credentials() != null && hello.credentials().password().equals("right")
                ? Optional.empty() : Optional.of("no entry for " + hello.credentials()));
        try (RawPeer client = RawPeer.connect(server)) {
            assertThat(ClientProtocol.refusalReason(client.hello(ClientProtocol.HELLO))).hasValue("no entry for null");
            client.sendRequestUnlessClosed(1, new Message.RingFetch());
            assertThat(client.closedByPeer()).isTrue();
        }
        try (RawPeer client = RawPeer.connect(server)) {
            byte[] answer = client.hello(ClientProtocol.hello(new Credentials("app", "wrong")));
            assertThat(ClientProtocol.refusalReason(answer)).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("username=app").doesNotContain("wrong"));
            assertThat(client.closedByPeer()).isTrue();
        }
        try (RawPeer client = RawPeer.connect(server)) {
            assertThat(client.hello(ClientProtocol.hello(new Credentials("app", "right"))))
                    .isEqualTo(ClientProtocol.WELCOME);
            client.sendRequest(2, new Message.RingFetch());
            assertThat(client.readReply(2)).isEqualTo(new Message.RingFetch());
        }
        assertThat(toClients).containsExactly(new Message.RingFetch());
        assertThat(toPeers).isEmpty();
    }

    @Test
    void aMalformedHelloWithCredentialsIsRefusedWithTheReason() throws Exception {
        NettyTransport server = server();
        byte[] hello = ClientProtocol.hello(new Credentials("app", "secret"));
        try (RawPeer client = RawPeer.connect(server)) {
            byte[] answer = client.hello(Arrays.copyOf(hello, hello.length - 1));
            assertThat(ClientProtocol.refusalReason(answer)).hasValueSatisfying(
                    reason -> assertThat(reason).contains("ends inside its credentials"));
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(toClients).isEmpty();
    }

    @Test
    void aNodeNotServingClientsAnswersThemUnavailable() throws Exception {
        NettyTransport server = server();
        server.serveClients(null);
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(7, new Message.RingFetch());
            assertThat(client.readReply(7)).isInstanceOfSatisfying(Message.Failure.class,
                    failure -> assertThat(failure.kind()).isEqualTo(Message.Failure.Kind.UNAVAILABLE));
        }
        assertThat(toClients).isEmpty();
    }
}
