package dev.dynamo.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's hello opens a session that reaches the client handler only, without the cluster secret, once
 * the client gate admits it; it reads client messages only.
 */
class ClientSessionTest {

    private final TestTransports transports = new TestTransports();

    private final List<Message> toPeers = new CopyOnWriteArrayList<>();
    private final List<ClientMessage> toClients = new CopyOnWriteArrayList<>();

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
            return CompletableFuture.completedFuture(new ClientMessage.RingFetch());
        });
        return server;
    }

    @Test
    void everyRequestOfAClientSessionGoesToTheClientHandlerNeverToThePeers() throws Exception {
        NettyTransport server = server();
        ClientMessage get = new ClientMessage.ClientGet(new ClientKey("b", "k".getBytes(StandardCharsets.UTF_8)), 0);
        ClientMessage fetch = new ClientMessage.RingFetch();
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(1, fetch);
            client.sendRequest(2, get);
            assertThat(client.readClientReply(1)).isEqualTo(new ClientMessage.RingFetch());
            assertThat(client.readClientReply(2)).isEqualTo(new ClientMessage.RingFetch());
        }
        assertThat(toClients).containsExactly(fetch, get);
        assertThat(toPeers).isEmpty();
    }

    @Test
    void aReplySentAsARequestIsNotReadAndClosesTheSession() throws Exception {
        NettyTransport server = server();
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(1, new ClientMessage.ClientWritten(1, CausalContext.NONE, 1));
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(toClients).isEmpty();
    }

    @Test
    void aPeerMessageOnAClientSessionIsNotReadAsOneAndClosesTheSession() throws Exception {
        NettyTransport server = server();
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendAsClient(1, new Message.ReplicaRead(StorageKey.of("b", new byte[] {1}), null));
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(toClients).isEmpty();
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
            client.sendRequestUnlessClosed(1, new Message.Describe());
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
            client.sendRequest(2, new ClientMessage.RingFetch());
            assertThat(client.readClientReply(2)).isEqualTo(new ClientMessage.RingFetch());
        }
        assertThat(toClients).containsExactly(new ClientMessage.RingFetch());
        assertThat(toPeers).isEmpty();
    }

    @Test
    void aHelloWithLongCredentialsIsReadAndAnOversizedOneIsRefusedWithTheReason() throws Exception {
        NettyTransport server = server();
        server.admitClients(hello -> Optional.empty());
        String generated = "A".repeat(44); // a generated 44-character password, as `openssl rand -base64 32` makes
        try (RawPeer client = RawPeer.connect(server)) {
            assertThat(client.hello(ClientProtocol.hello(new Credentials("application-user", generated))))
                    .isEqualTo(ClientProtocol.WELCOME);
        }
        byte[] oversized = Arrays.copyOf(ClientProtocol.HELLO, ClientProtocol.MAX_HELLO + 1);
        try (RawPeer client = RawPeer.connect(server)) {
            assertThat(ClientProtocol.refusalReason(client.hello(oversized))).hasValueSatisfying(reason ->
                    assertThat(reason).contains("over the limit of 1024 before authentication"));
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThatThrownBy(() -> ClientProtocol.hello(new Credentials("u", "p".repeat(ClientProtocol.MAX_HELLO))))
                .hasMessageContaining("over the 1024");
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
    void aNodeNotServingClientsAnswersThemNotServed() throws Exception {
        NettyTransport server = server();
        server.serveClients(null);
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(7, new ClientMessage.RingFetch());
            assertThat(client.readClientReply(7)).isEqualTo(new ClientMessage.NotServed("this node serves no clients now"));
        }
        assertThat(toClients).isEmpty();
    }

    @Test
    void aStopLetsTheRequestBeingServedFinishAndWaitsForTheClientToLeave() throws Exception {
        NettyTransport server = server();
        CompletableFuture<ClientMessage> pending = new CompletableFuture<>();
        CompletableFuture<ClientMessage> received = new CompletableFuture<>();
        server.serveClients(request -> {
            received.complete(request);
            return pending;
        });
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(1, new ClientMessage.RingFetch());
            received.get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> stop(server));
            assertThatThrownBy(() -> stopped.get(300, TimeUnit.MILLISECONDS)).as("a request still being served")
                    .isInstanceOf(TimeoutException.class);
            client.sendRequest(2, new ClientMessage.RingFetch());
            assertThat(client.readClientReply(2)).isEqualTo(new ClientMessage.NotServed("this node serves no clients now"));
            pending.complete(new ClientMessage.RingFetch());
            assertThat(client.readClientReply(1)).isEqualTo(new ClientMessage.RingFetch());
            assertThatThrownBy(() -> stopped.get(300, TimeUnit.MILLISECONDS)).as("the client is still connected")
                    .isInstanceOf(TimeoutException.class);
            client.close();
            stopped.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHandlerThatThrowsLeavesNoRequestForAStopToWaitFor() throws Exception {
        NettyTransport server = server();
        server.serveClients(request -> {
            throw new IllegalStateException("broken");
        });
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(1, new ClientMessage.RingFetch());
            client.readClientReply(1);
        }
        // well within the request lifetime (6 s here) that a request still counted would be waited for
        CompletableFuture.runAsync(() -> stop(server)).get(3, TimeUnit.SECONDS);
    }

    private static void stop(NettyTransport server) {
        try {
            server.stopServingClients(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClientIsToldARequestFailedButNothingOfWhy() throws Exception {
        NettyTransport server = server();
        server.serveClients(request -> CompletableFuture.failedFuture(
                new IllegalStateException("internals: /var/lib/dynamo/data.mdb at offset 42")));
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            client.sendRequest(3, new ClientMessage.RingFetch());
            assertThat(client.readClientReply(3)).isEqualTo(new ClientMessage.ClientFailure(0,
                    FailureKind.INTERNAL,
                    "the node failed to serve this request; its log has the details", 0, 0));
        }
    }
}
