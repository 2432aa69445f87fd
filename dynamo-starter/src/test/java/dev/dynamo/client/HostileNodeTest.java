package dev.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessageCodec;
import dev.dynamo.core.wire.ClientProtocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The client against a node that breaks the protocol: what it sends is refused before it is buffered or
 * decoded, and the call fails with a clear exception rather than hanging or filling the heap.
 */
class HostileNodeTest {

    @Test
    void aFrameOverTheLimitClosesTheConnectionBeforeItIsBuffered() throws Exception {
        CompletableFuture<Boolean> closedByClient = serveOnce((out, requestId) -> {
            try {
                out.writeInt(ClientSettings.DEFAULT_MAX_FRAME_SIZE + 1); // the length alone: nothing follows
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, HostileNodeTest::failsToRead);
        assertThat(closedByClient.get(10, TimeUnit.SECONDS)).as("the client hung up").isTrue();
    }

    @Test
    void aReplyOfARequestTypeIsRefusedBeforeItsBodyIsRead() throws Exception {
        CompletableFuture<Boolean> closedByClient = serveOnce((out, requestId) -> {
            byte[] request = ClientMessageCodec.encode(new ClientMessage.ClientGet(
                    new ClientKey("b", "k".getBytes(StandardCharsets.UTF_8)), 0));
            try {
                out.writeInt(9 + request.length);
                out.write(ByteBuffer.allocate(9).putLong(requestId).put((byte) 1).array());
                out.write(request);
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, HostileNodeTest::failsToRead);
        assertThat(closedByClient.get(10, TimeUnit.SECONDS)).as("the client hung up").isTrue();
    }

    /** A read through a client of the node at {@code port} fails; no retries, so it asks that node once. */
    private static void failsToRead(int port) {
        ClientSettings once = new ClientSettings(() -> List.of("127.0.0.1:" + port), Duration.ofSeconds(1),
                Duration.ofSeconds(3), 0, Duration.ofMillis(50), Duration.ofSeconds(30), true, 0, 0, null,
                ClientSettings.DEFAULT_MAX_FRAME_SIZE, null);
        try (NettyDynamoClient client = new NettyDynamoClient(once)) {
            assertThatThrownBy(() -> client.get("b", "k")).isInstanceOf(DynamoException.class);
        }
    }

    /**
     * A node on loopback that welcomes one client, answers its first request with {@code answer} (given the
     * request's id) and then completes with whether the client closed the connection within 5 s; {@code
     * clientSide} runs meanwhile with the node's port.
     */
    private static CompletableFuture<Boolean> serveOnce(BiConsumer<DataOutputStream, Long> answer,
            IntConsumer clientSide) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
            try (server; Socket socket = server.accept()) {
                socket.setSoTimeout(5_000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(32);
                out.write(new byte[32]); // the challenge, which a client does not answer
                out.flush();
                in.readFully(new byte[in.readInt()]); // its hello
                out.writeInt(ClientProtocol.WELCOME.length);
                out.write(ClientProtocol.WELCOME);
                out.flush();
                byte[] request = new byte[in.readInt()];
                in.readFully(request);
                answer.accept(out, ByteBuffer.wrap(request).getLong());
                // the client may have sent more requests before it read the answer: skip to the end (or time out)
                while (in.read() != -1) {
                    continue;
                }
                return true;
            } catch (IOException e) {
                return e instanceof SocketException; // reset by the client: closed too
            }
        });
        clientSide.accept(server.getLocalPort());
        return closed;
    }
}
