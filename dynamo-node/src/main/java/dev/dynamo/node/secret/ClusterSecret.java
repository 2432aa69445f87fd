package dev.dynamo.node.secret;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The secret every node of a cluster shares, the one setting that both the transport and the data API
 * read: its own record, so that neither reads it from the other's settings. Each use gets a key of its
 * own, derived from the secret (HKDF-SHA256), so a key that leaks from one use is no key to the other.
 *
 * @param secret shared by every node of the cluster, 16 bytes or more; authenticates nodes to each
 *               other (a node without it can neither read nor write replicas) and signs the causal
 *               contexts handed to clients (a context from another cluster is rejected). Empty only
 *               on a node whose transport listens on loopback alone
 */
@ConfigurationProperties("dynamo.cluster")
public record ClusterSecret(@DefaultValue("") String secret) {

    /** Fewer bytes than this are guessable offline from one recorded handshake. */
    public static final int MIN_BYTES = 16;

    public ClusterSecret {
        int length = secret.getBytes(StandardCharsets.UTF_8).length;
        if (length > 0 && length < MIN_BYTES) {
            throw new IllegalArgumentException("dynamo.cluster.secret has " + length + " bytes; it needs at least "
                    + MIN_BYTES + " (e.g. the output of `openssl rand -base64 32`), the same on every node");
        }
    }

    /**
     * Refuses an empty secret when the transport listens on {@code host} beyond loopback: anyone who
     * reaches the port could then pass the handshake, join the cluster and read every partition.
     *
     * @throws IllegalStateException saying why and what to set
     */
    public void requireFor(String host) {
        if (secret.isEmpty() && !isLoopback(host)) {
            throw new IllegalStateException("dynamo.cluster.secret is empty, but the internode transport listens on "
                    + host + ", beyond loopback: anyone who reaches that port could join the cluster and read every"
                    + " partition. Set dynamo.cluster.secret (" + MIN_BYTES + " bytes or more, the same on every"
                    + " node), or dynamo.transport.host=127.0.0.1 for a node of your own");
        }
    }

    /** The key nodes prove to each other that they hold the secret with. */
    public byte[] peerKey() {
        return Hkdf.sha256(bytes(), "dynamo peer authentication");
    }

    /** The key causal contexts handed to clients are signed with. */
    public byte[] contextKey() {
        return Hkdf.sha256(bytes(), "dynamo causal context signing");
    }

    private byte[] bytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false; // cannot tell, so not known to be safe
        }
    }
}
