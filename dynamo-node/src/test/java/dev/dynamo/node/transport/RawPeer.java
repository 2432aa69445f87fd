package dev.dynamo.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessageCodec;
import dev.dynamo.core.wire.ClientProtocol;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.MessageCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A peer speaking the wire protocol over a plain socket, written from the protocol's description
 * rather than from the transport's classes, so tests can send what a real transport never would.
 * Every read gives up after a few seconds.
 */
final class RawPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Connects to a transport listening on loopback. */
    static RawPeer connect(NettyTransport server) throws IOException {
        String address = server.localAddress();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        return new RawPeer(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** The client's half of the handshake; fails the test if the server's proof is wrong. */
    void authenticate(String secret) throws IOException {
        byte[] serverNonce = readFrame();
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        writeFrame(concat(hmac(secret, "client", serverNonce), nonce), longBytes(monotonicMillis()));
        assertThat(readFrame()).as("the server's proof").isEqualTo(hmac(secret, "server", nonce));
    }

    /** Opens a client session instead of authenticating ({@link dev.dynamo.core.wire.ClientProtocol}). */
    void hello() throws IOException {
        readFrame(); // the challenge, which a client does not answer
        writeFrame(ClientProtocol.HELLO);
        assertThat(readFrame()).as("the server's welcome").isEqualTo(ClientProtocol.WELCOME);
    }

    /** Sends {@code hello} in place of the proof and returns the node's answer: its welcome or its refusal. */
    byte[] hello(byte[] hello) throws IOException {
        readFrame(); // the challenge
        writeFrame(hello);
        return readFrame();
    }

    /** Sends a peer's request, stamped with its send time (our monotonic clock, as in the handshake). */
    void sendRequest(long id, Message request) throws IOException {
        sendRequestSentAgo(id, request, 0);
    }

    /** Sends a peer's request whose stamp says it was sent {@code millis} ago, as if the network held it up. */
    void sendRequestSentAgo(long id, Message request, long millis) throws IOException {
        writeFrame(header(id), longBytes(monotonicMillis() - millis), MessageCodec.encode(request));
    }

    /** Sends a peer's message as a client would send a request: with no send time. */
    void sendAsClient(long id, Message request) throws IOException {
        writeFrame(header(id), MessageCodec.encode(request));
    }

    /** Sends a client's request, which carries no send time. */
    void sendRequest(long id, ClientMessage request) throws IOException {
        writeFrame(header(id), ClientMessageCodec.encode(request));
    }

    private static byte[] header(long id) {
        return ByteBuffer.allocate(9).putLong(id).put((byte) 0).array();
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /**
     * Sends a request to a server that may already have closed the connection, as it does on a bad
     * handshake: the write then fails (broken pipe, reset), which is as good as refused.
     */
    void sendRequestUnlessClosed(long id, Message request) throws IOException {
        try {
            sendRequest(id, request);
        } catch (SocketException closed) {
            // the server closed first; closedByPeer() says so
        }
    }

    /** Reads a reply frame, checking that it is one and answers {@code id}. */
    Message readReply(long id) throws IOException {
        return MessageCodec.decode(readReplyBody(id));
    }

    /** Reads a reply frame of a client session, checking that it is one and answers {@code id}. */
    ClientMessage readClientReply(long id) throws IOException {
        return ClientMessageCodec.decode(readReplyBody(id));
    }

    private byte[] readReplyBody(long id) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(readFrame());
        assertThat(frame.getLong()).as("request id").isEqualTo(id);
        assertThat(frame.get()).as("reply flag").isEqualTo((byte) 1);
        byte[] body = new byte[frame.remaining()];
        frame.get(body);
        return body;
    }

    void writeFrame(byte[]... parts) throws IOException {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        out.writeInt(length);
        for (byte[] part : parts) {
            out.write(part);
        }
        out.flush();
    }

    void writeLengthOnly(int length) throws IOException {
        out.writeInt(length);
        out.flush();
    }

    byte[] readFrame() throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    /** Whether the other end has closed the connection: reading ends instead of timing out. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true; // closed with our bytes unread: a reset rather than an orderly end
        }
    }

    static byte[] hmac(String secret, String role, byte[] nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(concat(role.getBytes(StandardCharsets.US_ASCII), nonce));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
