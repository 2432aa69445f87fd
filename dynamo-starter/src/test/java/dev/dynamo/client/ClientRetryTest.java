package dev.dynamo.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;
import dev.dynamo.core.wire.ClientMessage.ClientKeyPage;
import dev.dynamo.core.wire.ClientMessage.ClientListKeys;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.ClientWritten;
import dev.dynamo.core.wire.ClientMessage.NotServed;
import dev.dynamo.core.wire.ClientMessageCodec;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.FrameHeader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A request no node acted on is tried again after a backoff, a write as well as a read: it was never sent,
 * or the node answered that it serves no clients now, so trying again cannot apply it twice. A connection
 * to a node that answered so is closed by the client once nothing on it is outstanding, which lets a
 * stopping node wait for its clients to leave. This is what carries a client whose only known node
 * restarts.
 */
class ClientRetryTest {

    private final Queue<ClientPut> received = new ConcurrentLinkedQueue<>();
    private final Queue<ClientListKeys> listed = new ConcurrentLinkedQueue<>();
    /** Key listings the fake node answers "not served" before it serves one, whatever connection they come on. */
    private final AtomicInteger listingsToRefuse = new AtomicInteger();

    /** What the fake node does with one accepted connection. */
    private enum Conduct { CLOSE_AT_ONCE, NOT_SERVED, SERVE }

    @Test
    void aWriteNoNodeReceivedIsTriedAgainUntilANodeTakesIt() throws Exception {
        try (ServerSocket node = node(Conduct.CLOSE_AT_ONCE, Conduct.CLOSE_AT_ONCE)) {
            put(node, 2);
        }
        assertThat(received).as("the write reached the node once").hasSize(1);
        assertThat(received.peek().value().asText()).isEqualTo("v");
    }

    @Test
    void aNodeThatServesNoClientsNowHasItsConnectionClosedAndTheWriteGoesOnANewOne() throws Exception {
        CompletableFuture<Boolean> closedByClient = new CompletableFuture<>();
        try (ServerSocket node = node(closedByClient, Conduct.NOT_SERVED)) {
            put(node, 1);
        }
        assertThat(received).as("the write reached the node once, on a new connection").hasSize(1);
        assertThat(closedByClient.get(10, TimeUnit.SECONDS)).as("the client left the connection answered "
                + "'not served'").isTrue();
    }

    @Test
    void aKeyListingNoNodeActedOnIsTriedAgainAndItsPageAnswered() throws Exception {
        // refused per request, not per connection: the client's ring fetch may share the listing's connection
        listingsToRefuse.set(2);
        KeyPage page;
        try (ServerSocket node = node();
                NettyDynamoClient client = client(node, 2)) {
            page = client.listKeys("b", "k".getBytes(UTF_8), 10);
            assertThat(client.stats().retries()).as("tried again twice, counted").isEqualTo(2);
            assertThat(client.stats().inFlight()).isZero();
        }
        assertThat(listed).as("the listing was served once, after two refusals").hasSize(1);
        assertThat(listed.peek().after()).isEqualTo("k".getBytes(UTF_8));
        assertThat(page.keys()).containsExactly("l".getBytes(UTF_8));
        assertThat(page.next()).isEqualTo("l".getBytes(UTF_8));
        assertThat(page.complete()).isFalse();
    }

    private void put(ServerSocket node, int retries) {
        try (NettyDynamoClient client = client(node, retries)) {
            client.put("b", "k", Value.text("v"), CausalContext.NONE);
        }
    }

    private static NettyDynamoClient client(ServerSocket node, int retries) {
        return new NettyDynamoClient(new ClientSettings(() -> List.of("127.0.0.1:" + node.getLocalPort()),
                Duration.ofSeconds(1), Duration.ofSeconds(3), retries, Duration.ofMillis(20), Duration.ofHours(1),
                true, 0, 0, null, ClientSettings.DEFAULT_MAX_FRAME_SIZE, null));
    }

    private ServerSocket node(Conduct... first) throws IOException {
        return node(new CompletableFuture<>(), first);
    }

    /**
     * A node on loopback that treats its first connections as {@code first} says and serves every later one
     * (the client's ring fetch takes a connection too, or shares one); {@code closedByClient} completes
     * with true when the client closes a connection answered "not served".
     */
    private ServerSocket node(CompletableFuture<Boolean> closedByClient, Conduct... first) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            for (int accepted = 0; !server.isClosed(); accepted++) {
                Conduct conduct = accepted < first.length ? first[accepted] : Conduct.SERVE;
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> converse(socket, conduct, closedByClient));
                } catch (IOException e) {
                    return; // the test closed the server
                }
            }
        });
        return server;
    }

    private void converse(Socket socket, Conduct conduct, CompletableFuture<Boolean> closedByClient) {
        try (socket) {
            if (conduct == Conduct.CLOSE_AT_ONCE) {
                return;
            }
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            frame(out, new byte[32]); // the challenge, which a client does not answer
            in.readFully(new byte[in.readInt()]); // its hello
            frame(out, ClientProtocol.WELCOME);
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    closedByClient.complete(conduct == Conduct.NOT_SERVED);
                    return;
                }
                ByteBuffer request = ByteBuffer.wrap(in.readNBytes(length));
                long id = request.getLong();
                request.get();
                byte[] body = new byte[request.remaining()];
                request.get(body);
                ClientMessage reply = conduct == Conduct.NOT_SERVED ? new NotServed("stopping")
                        : switch (ClientMessageCodec.decodeRequest(body)) {
                            case ClientPut put when received.add(put) -> new ClientWritten(0, CausalContext.NONE, 1);
                            case ClientListKeys list when listingsToRefuse.getAndDecrement() > 0 ->
                                    new NotServed("stopping");
                            case ClientListKeys list when listed.add(list) -> new ClientKeyPage(0,
                                    List.of("l".getBytes(UTF_8)), "l".getBytes(UTF_8));
                            default -> new ClientFailure(0, FailureKind.BAD_REQUEST, "not served here", 0, 0);
                        };
                byte[] encoded = ClientMessageCodec.encode(reply);
                frame(out, ByteBuffer.allocate(FrameHeader.SIZE + encoded.length).putLong(id)
                        .put(FrameHeader.REPLY).put(encoded).array());
            }
        } catch (IOException e) {
            // the client reset the connection, or the test ended
        }
    }

    private static void frame(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }
}
