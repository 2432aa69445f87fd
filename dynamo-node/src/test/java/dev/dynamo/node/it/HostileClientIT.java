package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessageCodec;
import dev.dynamo.core.wire.ClientProtocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.FileSystemUtils;

/**
 * One real node process (256 MiB heap, LMDB) against clients that break the rules on purpose, over HTTP
 * and the binary protocol. After each attack: the attacker got a clear refusal (a problem document, a
 * refusal with its reason, or its connection closed), nothing stored changed, and the node still serves
 * an ordinary client at once. At the end its log shows no OutOfMemoryError.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientIT {

    /** How long an ordinary request may take right after an attack, on a loaded 2-core machine. */
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(2);
    private static final int PER_ADDRESS = 16;
    private static final byte[] KNOWN = "the known value".getBytes(StandardCharsets.UTF_8);

    private Path data;
    private NodeProcess node;
    private KvClient http;
    private int transportPort;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("hostile-client-it");
        transportPort = NodeProcess.freePort();
        node = NodeProcess.start("HostileClientIT", data, "--dynamo.transport.port=" + transportPort,
                "--dynamo.transport.clients.max-connections-per-address=" + PER_ADDRESS);
        http = new KvClient(node.baseUrl());
        assertThat(http.put("known", "k", KNOWN).statusCode()).isEqualTo(204);
    }

    @AfterAll
    void stop() throws IOException {
        try {
            assertThat(Files.readString(node.log())).doesNotContain("OutOfMemoryError");
        } finally {
            http.close();
            node.close();
            FileSystemUtils.deleteRecursively(data);
        }
    }

    /** After every attack: the node serves an ordinary client at once, and what it stored is unchanged. */
    @AfterEach
    void stillServesOthers() throws Exception {
        assertThat(node.isAlive()).as("node alive").isTrue();
        long start = System.nanoTime();
        HttpResponse<byte[]> read = http.get("known", "k");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(KNOWN);
        try (BinaryClient client = BinaryClient.open(transportPort)) {
            ClientMessage reply = client.call(new ClientMessage.ClientGet(key("known", "k"), 0));
            assertThat(reply).isInstanceOfSatisfying(ClientMessage.ClientRead.class, r ->
                    assertThat(r.result().siblings()).extracting(Value::bytes).containsExactly(KNOWN));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("served right after the attack")
                .isLessThan(SERVED_WITHIN);
    }

    @Test
    void aPeersMessageOnAClientConnectionIsRefusedByItsTypeBeforeItsBodyIsRead() throws Exception {
        try (BinaryClient client = BinaryClient.open(transportPort)) {
            // a 16 MiB PartitionEntries (a peer's message, type 41) of a million tiny entries, decoded in full
            // and pre-sized from its count, once made half a gigabyte of heap
            int entries = 1 << 20;
            ByteBuffer body = ByteBuffer.allocate(9 + 1 + 5 + entries * 2);
            body.putLong(1).put((byte) 0).put((byte) 41).put(varint(entries));
            while (body.hasRemaining()) {
                body.put((byte) 0);
            }
            client.sendFrame(body.array());
            assertThat(client.closedByNode()).isTrue();
        }
    }

    @Test
    void aFrameOverTheLimitClosesTheConnectionBeforeItIsBuffered() throws Exception {
        try (BinaryClient client = BinaryClient.open(transportPort)) {
            client.out.writeInt(17 << 20); // the length alone; nothing follows
            client.out.flush();
            assertThat(client.closedByNode()).isTrue();
        }
    }

    @Test
    void garbageAfterTheHelloClosesTheConnection() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[1 + random.nextInt(2_000)];
            random.nextBytes(garbage);
            try (BinaryClient client = BinaryClient.open(transportPort)) {
                client.sendFrame(garbage);
                assertThat(client.closedByNode()).as("garbage %d", i).isTrue();
            }
        }
    }

    @Test
    void siblingsPiledUpWithoutContextsStopAtTheLimitWithAProblemDocument() throws Exception {
        byte[] value = new byte[1024];
        int acknowledged = 0;
        HttpResponse<byte[]> refused = null;
        for (int i = 0; i < 120 && refused == null; i++) {
            HttpResponse<byte[]> put = http.put("flood", "one", value);
            if (put.statusCode() == 204) {
                acknowledged++;
            } else {
                refused = put;
            }
        }
        assertThat(acknowledged).isEqualTo(100);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(KvClient.text(refused)).contains("object-limit", "siblings");
        assertThat(http.getAcceptingJson("flood", "one").statusCode()).as("100 siblings, still readable").isEqualTo(300);
    }

    @Test
    void aForgedOrTransplantedContextIsRefusedAndChangesNothing() throws Exception {
        assertThat(http.put("ctx", "a", "a1".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
        assertThat(http.put("ctx", "b", "b1".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
        assertThat(http.put("ctx", "b", "b2".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
        String contextOfA = http.get("ctx", "a").headers().firstValue("X-Dynamo-Context").orElseThrow();

        HttpResponse<byte[]> transplanted = http.put("ctx", "b", "b3".getBytes(StandardCharsets.UTF_8), contextOfA);
        HttpResponse<byte[]> forged = http.put("ctx", "b", "b3".getBytes(StandardCharsets.UTF_8),
                contextOfA.substring(0, contextOfA.length() - 4) + "AAAA");

        assertThat(List.of(transplanted.statusCode(), forged.statusCode())).containsOnly(400);
        assertThat(KvClient.text(transplanted)).contains("application/problem+json");
        assertThat(http.getAcceptingJson("ctx", "b").statusCode()).as("b's two siblings untouched").isEqualTo(300);
    }

    @Test
    void aContentTypeThatIsNoneOrHugeIsRefusedOverTheBinaryProtocolAndNothingIsStored() throws Exception {
        try (BinaryClient client = BinaryClient.open(transportPort)) {
            for (String type : List.of("not a media type", "text/" + "x".repeat(2 << 20))) {
                ClientMessage reply = client.call(new ClientMessage.ClientPut(key("types", "t"), CausalContext.NONE,
                        new Value(new byte[] {1}, type, 0), 0));
                assertThat(reply).isInstanceOfSatisfying(ClientMessage.ClientFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(FailureKind.BAD_REQUEST));
            }
        }
        assertThat(http.get("types", "t").statusCode()).isEqualTo(404);
    }

    @Test
    void connectionsPastThePerAddressLimitAreRefusedWithTheReason() throws Exception {
        List<BinaryClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                open.add(BinaryClient.open(transportPort));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), transportPort)) {
                socket.setSoTimeout(5_000);
                BinaryClient extra = new BinaryClient(socket);
                extra.readFrame(); // the challenge
                extra.sendFrame(ClientProtocol.HELLO);
                assertThat(ClientProtocol.refusalReason(extra.readFrame()))
                        .hasValueSatisfying(reason -> assertThat(reason).contains("max-connections-per-address"));
            }
        } finally {
            for (BinaryClient client : open) {
                client.close();
            }
        }
        // the node counts a connection until it has closed: give it a moment, as a client would retry
        Poll.await("a connection admitted again", Duration.ofSeconds(5), () -> {
            try (BinaryClient again = BinaryClient.open(transportPort)) {
                return null;
            } catch (IOException | AssertionError refused) {
                return refused.getMessage();
            }
        });
    }

    @Test
    void aClientThatNeverReadsItsRepliesIsHeldBackNotBuffered() throws Exception {
        byte[] large = new byte[1 << 20];
        assertThat(http.put("large", "l", large).statusCode()).isEqualTo(204);
        try (BinaryClient greedy = BinaryClient.open(transportPort)) {
            greedy.socket.setReceiveBufferSize(4096);
            byte[] get = ClientMessageCodec.encode(new ClientMessage.ClientGet(key("large", "l"), 0));
            // 1,000 reads of a 1 MiB value, replies never read: a gigabyte, four times the node's heap
            try {
                for (int id = 1; id <= 1_000; id++) {
                    greedy.sendFrame(ByteBuffer.allocate(9).putLong(id).put((byte) 0).array(), get);
                }
            } catch (SocketTimeoutException | SocketException heldBack) {
                // TCP pushes back once the node stops reading from us: that is the point
            }
            stillServesOthers(); // while the greedy connection is still open
        }
    }

    private static ClientKey key(String bucket, String key) {
        return new ClientKey(bucket, key.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] varint(long value) {
        ByteBuffer out = ByteBuffer.allocate(10);
        while ((value & ~0x7FL) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The binary client protocol over a plain socket, so a test can send what the starter never would. */
    private static final class BinaryClient implements AutoCloseable {

        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;
        private long nextId = 1;

        BinaryClient(Socket socket) throws IOException {
            this.socket = socket;
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
        }

        /** A connection past the hello, welcomed. */
        static BinaryClient open(int port) throws IOException {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(5_000);
            BinaryClient client = new BinaryClient(socket);
            client.readFrame(); // the challenge, which a client does not answer
            client.sendFrame(ClientProtocol.HELLO);
            byte[] answer = client.readFrame();
            if (!Arrays.equals(answer, ClientProtocol.WELCOME)) {
                client.close();
                throw new AssertionError("not welcomed: " + new String(answer, StandardCharsets.UTF_8));
            }
            return client;
        }

        ClientMessage call(ClientMessage.Request request) throws IOException {
            long id = nextId++;
            sendFrame(ByteBuffer.allocate(9).putLong(id).put((byte) 0).array(), ClientMessageCodec.encode(request));
            ByteBuffer reply = ByteBuffer.wrap(readFrame());
            assertThat(reply.getLong()).isEqualTo(id);
            assertThat(reply.get()).isEqualTo((byte) 1);
            return ClientMessageCodec.decodeReply(Arrays.copyOfRange(reply.array(), 9, reply.capacity()));
        }

        void sendFrame(byte[]... parts) throws IOException {
            out.writeInt(Arrays.stream(parts).mapToInt(part -> part.length).sum());
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
        }

        byte[] readFrame() throws IOException {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            return frame;
        }

        /** Whether the node closes the connection (within the read timeout), whatever it sends before. */
        boolean closedByNode() throws IOException {
            InputStream stream = socket.getInputStream();
            byte[] skip = new byte[8192];
            try {
                while (stream.read(skip) != -1) {
                    continue;
                }
                return true;
            } catch (SocketException reset) {
                return true;
            } catch (SocketTimeoutException open) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
