package dev.dynamo.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** What one client connection, or all of them, may take of a node: connections, bytes in flight, idle time. */
class ClientLimitsTest {

    /** A put of about a kilobyte. */
    private static final ClientMessage PUT = new ClientMessage.ClientPut(
            new ClientKey("b", "k".getBytes(StandardCharsets.UTF_8)), CausalContext.NONE,
            new Value(new byte[1000], "application/octet-stream", 0), 0);

    private final TestTransports transports = new TestTransports();
    /** The replies the client handler owes, in the order their requests reached it. */
    private final List<CompletableFuture<ClientMessage>> owed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        transports.close();
    }

    private NettyTransport server(ClientLimits limits) {
        NettyTransport server = transports.started(limits, request ->
                CompletableFuture.completedFuture(new Message.Ack()));
        server.serveClients(request -> {
            CompletableFuture<ClientMessage> reply = new CompletableFuture<>();
            owed.add(reply);
            return reply;
        });
        return server;
    }

    private static ClientLimits limits(int perAddress, Duration idle, long connectionBytes, long nodeBytes) {
        return new ClientLimits(1024, perAddress, idle, 256, DataSize.ofBytes(connectionBytes),
                DataSize.ofBytes(nodeBytes));
    }

    @Test
    void aConnectionPastThePerAddressLimitIsRefusedWithTheReasonAndOneClosedMakesRoom() throws Exception {
        NettyTransport server = server(limits(2, Duration.ofMinutes(1), 1 << 20, 1 << 20));
        try (RawPeer first = RawPeer.connect(server); RawPeer second = RawPeer.connect(server);
                RawPeer third = RawPeer.connect(server)) {
            first.hello();
            second.hello();
            assertThat(ClientProtocol.refusalReason(third.hello(ClientProtocol.HELLO)))
                    .hasValueSatisfying(reason -> assertThat(reason).contains("max-connections-per-address"));
            assertThat(third.closedByPeer()).isTrue();

            first.close();
            assertThat(poll(() -> {
                try (RawPeer again = RawPeer.connect(server)) {
                    return ClientProtocol.refusalReason(again.hello(ClientProtocol.HELLO)).isEmpty();
                } catch (java.io.IOException e) {
                    return false;
                }
            })).as("a closed connection's place is free again").isTrue();
        }
    }

    @Test
    void aClientConnectionIdleForTheTimeoutIsClosed() throws Exception {
        NettyTransport server = server(limits(8, Duration.ofMillis(300), 1 << 20, 1 << 20));
        try (RawPeer idle = RawPeer.connect(server)) {
            idle.hello();
            long start = System.nanoTime();
            assertThat(idle.closedByPeer()).isTrue(); // within RawPeer's 5 s read timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void requestsPastTheConnectionsBytesWaitUntilEarlierOnesAreAnswered() throws Exception {
        NettyTransport server = server(limits(8, Duration.ofMinutes(1), 2_500, 1 << 20));
        try (RawPeer client = RawPeer.connect(server)) {
            client.hello();
            for (int id = 1; id <= 5; id++) {
                client.sendRequest(id, PUT);
            }
            assertThat(poll(() -> owed.size() == 2)).isTrue();
            assertThat(stays(() -> owed.size() == 2)).as("the third request waits: two fill the 2,500 bytes").isTrue();

            owed.getFirst().complete(new ClientMessage.NotServed("done"));
            assertThat(client.readClientReply(1)).isEqualTo(new ClientMessage.NotServed("done"));
            assertThat(poll(() -> owed.size() == 3)).as("answering one made room for the next").isTrue();
        }
    }

    @Test
    void requestsPastTheNodesBytesWaitWhateverConnectionHoldsThem() throws Exception {
        NettyTransport server = server(limits(8, Duration.ofMinutes(1), 2_500, 2_500));
        try (RawPeer busy = RawPeer.connect(server); RawPeer other = RawPeer.connect(server)) {
            busy.hello();
            other.hello();
            busy.sendRequest(1, PUT);
            busy.sendRequest(2, PUT);
            assertThat(poll(() -> owed.size() == 2)).isTrue();
            other.sendRequest(1, PUT);
            assertThat(stays(() -> owed.size() == 2)).as("the node's 2,500 bytes are held by the other connection")
                    .isTrue();

            owed.getFirst().complete(new ClientMessage.NotServed("done"));
            assertThat(poll(() -> owed.size() == 3)).as("room given back by one connection serves the other").isTrue();
        }
    }

    /** Whether {@code condition} holds within 5 s, polled. */
    private static boolean poll(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** Whether {@code condition} holds throughout 300 ms: what must not happen has had time to. */
    private static boolean stays(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
