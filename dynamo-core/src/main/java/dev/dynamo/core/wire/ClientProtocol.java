package dev.dynamo.core.wire;

import dev.dynamo.core.client.Credentials;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * How an application's client talks to a node on the node's internode port, without the cluster
 * secret. Every frame is {@code [u32 length][length bytes]}. The node opens with its handshake
 * challenge, which a client ignores; the client's first frame is a hello instead of a proof: {@link
 * #HELLO} ({@code dynamo-client/1}, no credentials) or {@link #hello(Credentials)} ({@code dynamo-client/2}
 * then {@code [u16 length][UTF-8 username][u16 length][UTF-8 password]}, the password in clear). The
 * node answers {@link #WELCOME}, or {@link #REFUSED} and its reason before it closes the connection
 * (a node with {@code dynamo.security.data-api=authenticated} refuses a hello without valid
 * credentials). From then on frames are a {@link FrameHeader} and {@link ClientMessageCodec} bytes, and
 * the node reads nothing else: a {@link Message} of the peers' protocol is an unknown type there, and
 * any frame it cannot decode closes the connection. So nothing a client sends reaches replica, gossip,
 * transfer or anti-entropy handling. The client messages keep the tags (60 to 67) they had when both
 * protocols shared one codec; {@code NotServed} (68) is new, and replaces the peers' {@code Failure} a
 * node starting or stopping used to answer; the conditional put (69) and its refusal (70) came after,
 * then the expiring put (71), and the key listing's request (72) and page (73).
 */
public final class ClientProtocol {

    /** A client's first frame without credentials; its length differs from a peer's proof, so the two differ. */
    public static final byte[] HELLO = "dynamo-client/1".getBytes(StandardCharsets.US_ASCII);
    /** The start of a client's first frame with credentials (a random proof starting so: chance 2^-120). */
    private static final byte[] HELLO_WITH_CREDENTIALS = "dynamo-client/2".getBytes(StandardCharsets.US_ASCII);
    /** The node's answer to a hello it accepts: requests may follow. */
    public static final byte[] WELCOME = "dynamo-client/1 ok".getBytes(StandardCharsets.US_ASCII);
    /** The start of the node's answer to a hello it refuses; the UTF-8 reason follows. */
    public static final byte[] REFUSED = "dynamo-client refused: ".getBytes(StandardCharsets.US_ASCII);

    private static final int MAX_FIELD = 0xFFFF;
    /** The largest first frame a node reads before a connection is authenticated: a hello or a peer's proof. */
    public static final int MAX_HELLO = 1024;

    private ClientProtocol() {
    }

    /**
     * What a client's first frame says.
     *
     * @param credentials the account presented, or null for a {@code dynamo-client/1} hello
     */
    public record Hello(Credentials credentials) {
    }

    /** The {@code dynamo-client/2} hello presenting {@code credentials}. */
    public static byte[] hello(Credentials credentials) {
        byte[] user = field(credentials.username(), "username");
        byte[] password = field(credentials.password(), "password");
        int length = HELLO_WITH_CREDENTIALS.length + 2 * Short.BYTES + user.length + password.length;
        if (length > MAX_HELLO) {
            throw new IllegalArgumentException("a hello with these credentials is " + length + " bytes, over the "
                    + MAX_HELLO + " a node reads before authentication");
        }
        return ByteBuffer.allocate(HELLO_WITH_CREDENTIALS.length + 2 * Short.BYTES + user.length + password.length)
                .put(HELLO_WITH_CREDENTIALS).putShort((short) user.length).put(user)
                .putShort((short) password.length).put(password).array();
    }

    /**
     * The hello a first frame holds; empty when the frame is not a hello (a peer's proof).
     *
     * @throws IllegalArgumentException when it is a {@code dynamo-client/2} hello whose fields are malformed
     */
    public static Optional<Hello> readHello(byte[] frame) {
        if (Arrays.equals(frame, HELLO)) {
            return Optional.of(new Hello(null));
        }
        if (!startsWith(frame, HELLO_WITH_CREDENTIALS)) {
            return Optional.empty();
        }
        ByteBuffer rest = ByteBuffer.wrap(frame, HELLO_WITH_CREDENTIALS.length,
                frame.length - HELLO_WITH_CREDENTIALS.length);
        String username = readField(rest);
        String password = readField(rest);
        if (rest.hasRemaining()) {
            throw new IllegalArgumentException("a dynamo-client/2 hello has " + rest.remaining() + " bytes too many");
        }
        return Optional.of(new Hello(new Credentials(username, password)));
    }

    /** The node's refusal carrying {@code reason}. */
    public static byte[] refusal(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(REFUSED.length + text.length).put(REFUSED).put(text).array();
    }

    /** The reason of a node's refusal; empty when {@code answer} is not one. */
    public static Optional<String> refusalReason(byte[] answer) {
        return startsWith(answer, REFUSED) ? Optional.of(new String(answer, REFUSED.length,
                answer.length - REFUSED.length, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private static boolean startsWith(byte[] frame, byte[] prefix) {
        return frame.length >= prefix.length && Arrays.equals(frame, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] field(String value, String name) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_FIELD) {
            throw new IllegalArgumentException("the " + name + " is over " + MAX_FIELD + " bytes");
        }
        return bytes;
    }

    private static String readField(ByteBuffer from) {
        if (from.remaining() < Short.BYTES) {
            throw new IllegalArgumentException("a dynamo-client/2 hello ends before its credentials");
        }
        int length = Short.toUnsignedInt(from.getShort());
        if (from.remaining() < length) {
            throw new IllegalArgumentException("a dynamo-client/2 hello ends inside its credentials");
        }
        byte[] bytes = new byte[length];
        from.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
