package dev.dynamo.node.transport;

import static dev.dynamo.node.transport.TestTransports.properties;
import static dev.dynamo.node.transport.TestTransports.silent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.Message.Failure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class NettyTransportTest {

    private static final long WAIT_SECONDS = 5;

    private final TestTransports transports = new TestTransports();

    @AfterEach
    void close() {
        transports.close();
    }

    @Test
    void aRequestGetsTheHandlersReply() throws Exception {
        NettyTransport server = transports.started(request -> CompletableFuture.completedFuture(
                new Message.Described(new Member("node-1", "127.0.0.1:7070", "zone-a"))));

        Message reply = send(transports.client(), server, new Message.Describe());

        assertThat(reply).isEqualTo(new Message.Described(new Member("node-1", "127.0.0.1:7070", "zone-a")));
    }

    @Test
    void aThousandConcurrentRequestsShareOneConnectionAndEachGetsItsOwnReply() throws Exception {
        NettyTransport server = transports.started(TestTransports::echo);
        NettyTransport client = transports.client();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<CompletableFuture<Message>>>> batches = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int first = thread * 250;
                batches.add(senders.submit(() -> {
                    List<CompletableFuture<Message>> replies = new ArrayList<>();
                    for (int i = first; i < first + 250; i++) {
                        replies.add(client.request(server.localAddress(), new Message.QuorumFailed(i, 3)));
                    }
                    return replies;
                }));
            }
            for (int thread = 0; thread < 4; thread++) {
                List<CompletableFuture<Message>> replies = batches.get(thread).get(WAIT_SECONDS, TimeUnit.SECONDS);
                for (int i = 0; i < replies.size(); i++) {
                    assertThat(replies.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS))
                            .isEqualTo(new Message.QuorumFailed(thread * 250 + i, 3));
                }
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aMegabyteValueMakesTheRoundTrip() throws Exception {
        NettyTransport server = transports.started(TestTransports::echo);
        byte[] value = new byte[1 << 20];
        new Random(7).nextBytes(value);
        Message write = new Message.CoordinateWrite(StorageKey.of("bucket", "key".getBytes(StandardCharsets.UTF_8)),
                null, new Content(value, Content.DEFAULT_CONTENT_TYPE, 1L, false), 2);

        assertThat(send(transports.client(), server, write)).isEqualTo(write);
    }

    @Test
    void aRequestLargerThanTheFrameLimitFailsWithoutHurtingTheConnection() throws Exception {
        TransportProperties small = properties(Duration.ofSeconds(5), 16, DataSize.ofKilobytes(64));
        NettyTransport server = transports.started(small, TestTransports.SECRET, TestTransports::echo);
        NettyTransport client = transports.client(small, TestTransports.SECRET);
        Message large = new Message.Failure(Failure.Kind.BAD_REQUEST, "x".repeat(70_000));

        assertFailsWith(client.request(server.localAddress(), large), "over the frame limit");
        assertThat(send(client, server, new Message.Ack())).isEqualTo(new Message.Ack());
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aFailedOrThrowingHandlerIsAnsweredWithAnInternalFailure() throws Exception {
        NettyTransport server = transports.started(request -> switch (request) {
            case Message.Ack ack -> CompletableFuture.failedFuture(new IllegalStateException("disk on fire"));
            default -> throw new IllegalArgumentException("no idea");
        });
        NettyTransport client = transports.client();

        assertThat(send(client, server, new Message.Ack()))
                .isEqualTo(new Failure(Failure.Kind.INTERNAL, "disk on fire"));
        assertThat(send(client, server, new Message.Describe()))
                .isEqualTo(new Failure(Failure.Kind.INTERNAL, "no idea"));
    }

    @Test
    void aRequestTimesOutWhenTheHandlerNeverAnswers() {
        NettyTransport server = transports.started(silent(new AtomicInteger()));
        NettyTransport client = transports.client(
                properties(Duration.ofMillis(200), 16, DataSize.ofMegabytes(1)), TestTransports.SECRET);

        assertFailsWith(client.request(server.localAddress(), new Message.Describe()),
                server.localAddress() + " did not answer within PT0.2S");
    }

    @Test
    void peersWithDifferentSecretsServeEachOtherNothing() {
        AtomicInteger ourCalls = new AtomicInteger();
        AtomicInteger theirCalls = new AtomicInteger();
        NettyTransport us = transports.started(properties(), "our secret", silent(ourCalls));
        NettyTransport them = transports.started(properties(), "their secret", silent(theirCalls));

        assertFailsWith(us.request(them.localAddress(), new Message.Describe()),
                them.localAddress() + " refused authentication (cluster secret differs)");
        assertFailsWith(them.request(us.localAddress(), new Message.Describe()),
                us.localAddress() + " refused authentication (cluster secret differs)");
        assertThat(ourCalls).hasValue(0);
        assertThat(theirCalls).hasValue(0);
    }

    @Test
    void anEmptySecretIsASecretToo() throws Exception {
        NettyTransport server = transports.started(properties(), "", TestTransports::echo);

        assertThat(send(transports.client(properties(), ""), server, new Message.Ack())).isEqualTo(new Message.Ack());
    }

    @Test
    void anUnreachablePeerFailsFastAndIsNotRetriedAtOnce() throws IOException {
        String nobody = "127.0.0.1:" + freePort();
        NettyTransport client = transports.client();
        CompletableFuture<Message> first = client.request(nobody, new Message.Describe());
        // asked as the first fails, well inside the 100 ms backoff
        CompletableFuture<Message> again = first.handle((reply, error) -> client.request(nobody, new Message.Ack()))
                .thenCompose(reply -> reply);

        assertFailsWith(first, "cannot connect to " + nobody);
        assertFailsWith(again, "not trying again for 100 ms");
    }

    @Test
    void aMalformedAddressFailsTheRequest() {
        assertFailsWith(transports.client().request("no-port", new Message.Describe()), "host:port");
    }

    @Test
    void aRestartedPeerIsReachedAgainOnItsPort() throws Exception {
        NettyTransport first = transports.started(TestTransports::echo);
        NettyTransport client = transports.client();
        String address = first.localAddress();
        assertThat(client.request(address, new Message.Ack()).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(new Message.Ack());

        first.close();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        TransportProperties samePort = new TransportProperties("127.0.0.1", port, Duration.ofSeconds(5),
                Duration.ofSeconds(1), 4096, DataSize.ofMegabytes(16), 2);
        transports.started(samePort, TestTransports.SECRET, TestTransports::echo);

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).pollInterval(Duration.ofMillis(50)).until(() ->
                client.request(address, new Message.Ack()).handle((reply, error) -> error == null).get());
    }

    @Test
    void oneRequestPastMaxPendingFailsAtOnce() {
        NettyTransport server = transports.started(silent(new AtomicInteger()));
        NettyTransport client = transports.client(
                properties(Duration.ofSeconds(5), 3, DataSize.ofMegabytes(1)), TestTransports.SECRET);
        for (int i = 0; i < 3; i++) {
            assertThat(client.request(server.localAddress(), new Message.Describe())).isNotDone();
        }

        CompletableFuture<Message> oneTooMany = client.request(server.localAddress(), new Message.Describe());

        assertThat(oneTooMany).isCompletedExceptionally();
        assertFailsWith(oneTooMany, "too many requests waiting for " + server.localAddress());
    }

    @Test
    void aServerHandlesAtMostMaxPendingRequestsOfAConnectionAtOnce() throws Exception {
        BlockingQueue<CompletableFuture<Message>> handling = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        NettyTransport server = transports.started(properties(Duration.ofSeconds(5), 2, DataSize.ofMegabytes(1)),
                TestTransports.SECRET, request -> {
                    mostAtOnce.accumulateAndGet(calls.incrementAndGet() - answered.get(), Math::max);
                    CompletableFuture<Message> reply = new CompletableFuture<>();
                    handling.add(reply);
                    return reply;
                });
        NettyTransport client = transports.client();
        List<CompletableFuture<Message>> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            replies.add(client.request(server.localAddress(), new Message.Ack()));
        }

        // nothing is answered until both slots are taken, so the limit is reached however the
        // requests trickle in; from then on every answer frees one slot for the next request
        List<CompletableFuture<Message>> inHand = new ArrayList<>();
        while (answered.get() < 10) {
            if (inHand.size() < 2 && answered.get() + inHand.size() < 10) {
                CompletableFuture<Message> next = handling.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(next).as("a request reaches the handler").isNotNull();
                inHand.add(next);
            } else {
                answered.incrementAndGet();
                inHand.removeFirst().complete(new Message.Ack());
            }
        }

        for (CompletableFuture<Message> reply : replies) {
            assertThat(reply.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Message.Ack());
        }
        assertThat(mostAtOnce).hasValue(2);
    }

    @Test
    void closingFailsRequestsInFlight() {
        NettyTransport server = transports.started(silent(new AtomicInteger()));
        NettyTransport client = transports.client();
        CompletableFuture<Message> inFlight = client.request(server.localAddress(), new Message.Describe());

        client.close();

        assertThat(inFlight).isCompletedExceptionally();
        assertFailsWith(inFlight, "the transport is closed");
        assertFailsWith(client.request(server.localAddress(), new Message.Describe()), "the transport is closed");
    }

    private static Message send(NettyTransport client, NettyTransport server, Message request) throws Exception {
        return client.request(server.localAddress(), request).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static void assertFailsWith(CompletableFuture<Message> reply, String message) {
        assertThatThrownBy(() -> reply.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class).hasMessageContaining(message);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
