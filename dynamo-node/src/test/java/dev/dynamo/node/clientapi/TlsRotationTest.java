package dev.dynamo.node.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessageCodec;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.it.Poll;
import dev.dynamo.node.transport.NettyTransport;
import dev.dynamo.node.transport.TestCertificates;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation as operators do it, under traffic: the node's certificate files are replaced on disk while a
 * client writes, and Spring Boot's own file watching ({@code reload-on-update}) hands the node the new
 * bundle, with no restart. New connections get the new certificate; connections opened before keep
 * working, and no write fails.
 */
class TlsRotationTest {

    @TempDir
    Path dir;

    @Test
    void replacedCertificateFilesReachNewConnectionsWhileAnOpenOneCarriesOn() throws Exception {
        TestCertificates.Authority authority = TestCertificates.authority(dir, "cluster-ca");
        TestCertificates.Issued first = authority.issue("node");
        try (LocalNode node = LocalNode.start(
                "--spring.ssl.bundle.pem.node.keystore.certificate=" + first.certificate().toUri(),
                "--spring.ssl.bundle.pem.node.keystore.private-key=" + first.key().toUri(),
                "--spring.ssl.bundle.pem.node.truststore.certificate=" + authority.certificate().toUri(),
                "--spring.ssl.bundle.pem.node.reload-on-update=true",
                "--spring.ssl.bundle.watch.file.quiet-period=200ms",
                "--dynamo.transport.ssl.mode=required", "--dynamo.transport.ssl.bundle=node")) {
            String address = node.bean(NettyTransport.class).localAddress();
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            SSLContext trusting = trusting(authority.certificate());
            BigInteger before = first.read().getSerialNumber();

            AtomicInteger written = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ClientSettings settings = ClientSettings.of(List.of(address)).withRouting(false)
                    .withTls(SslContextBuilder.forClient().trustManager(authority.certificate().toFile()).build());
            try (SSLSocket open = connect(trusting, port); NettyDynamoClient client = new NettyDynamoClient(settings)) {
                assertThat(presented(open)).isEqualTo(before);
                Thread writer = Thread.ofVirtual().start(() -> {
                    while (writing.get() && failed.get() == null) {
                        try {
                            client.put("rotation", "k" + written.get(), Value.text("v"), CausalContext.NONE);
                            written.incrementAndGet();
                        } catch (RuntimeException e) {
                            failed.set(e);
                        }
                    }
                });

                TestCertificates.Issued second = authority.issue("node-renewed");
                // as a Secret's files change under a mount: each file replaced whole
                Files.move(second.key(), first.key(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.move(second.certificate(), first.certificate(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                BigInteger after = first.read().getSerialNumber();
                assertThat(after).isNotEqualTo(before);

                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                BigInteger presented = before;
                while (!presented.equals(after) && System.nanoTime() - deadline < 0) {
                    Thread.sleep(100); // Spring Boot's file watcher has no event for us to wait on
                    try (SSLSocket fresh = connect(trusting, port)) {
                        presented = presented(fresh);
                    }
                }
                assertThat(presented).as("a new connection presents the renewed certificate").isEqualTo(after);
                assertThat(ringFetch(open)).as("the connection opened before still serves")
                        .isInstanceOf(ClientMessage.RingState.class);
                int writtenAtRotation = written.get();
                Poll.await("writes go on after the rotation", Duration.ofSeconds(10),
                        () -> written.get() > writtenAtRotation || failed.get() != null ? null : written.get() + " writes");
                writing.set(false);
                writer.join(Duration.ofSeconds(10));
                assertThat(failed.get()).as("no write failed during the rotation").isNull();
            }
        }
    }

    private static SSLContext trusting(Path authority) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(authority)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static SSLSocket connect(SSLContext context, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        return socket;
    }

    private static BigInteger presented(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** The client protocol over {@code socket}: the challenge, the hello, then one RingFetch. */
    private static ClientMessage ringFetch(SSLSocket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        in.readFully(new byte[in.readInt()]); // the challenge, which a client does not answer
        out.writeInt(ClientProtocol.HELLO.length);
        out.write(ClientProtocol.HELLO);
        out.flush();
        byte[] welcome = new byte[in.readInt()];
        in.readFully(welcome);
        assertThat(welcome).isEqualTo(ClientProtocol.WELCOME);
        byte[] request = ClientMessageCodec.encode(new ClientMessage.RingFetch());
        out.writeInt(9 + request.length);
        out.write(ByteBuffer.allocate(9).putLong(1).put((byte) 0).array());
        out.write(request);
        out.flush();
        byte[] reply = new byte[in.readInt()];
        in.readFully(reply);
        return ClientMessageCodec.decodeReply(Arrays.copyOfRange(reply, 9, reply.length));
    }
}
