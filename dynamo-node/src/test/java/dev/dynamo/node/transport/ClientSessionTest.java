package dev.dynamo.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.wire.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client's hello opens a session that reaches the client handler only, without the cluster secret. */
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
