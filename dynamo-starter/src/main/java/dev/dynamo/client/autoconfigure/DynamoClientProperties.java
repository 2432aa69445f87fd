package dev.dynamo.client.autoconfigure;

import dev.dynamo.core.client.Credentials;
import dev.dynamo.client.ClientSettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The auto-configured {@link dev.dynamo.client.DynamoClient}.
 *
 * @param r                   read quorum of every read that names none; 0 uses the bucket's own R
 * @param w                   write quorum of every write or delete that names none; 0 uses the bucket's own W
 * @param seeds               nodes' transport addresses ({@code host:port}, their {@code dynamo.transport.port}) to
 *                            learn the ring from; empty takes them from a Spring Cloud DiscoveryClient
 * @param serviceId           the service whose instances a DiscoveryClient lists as seeds, when no seeds are set
 * @param connectTimeout      how long opening a connection to a node may take
 * @param requestTimeout      how long a request may wait for its node's reply
 * @param retries             how many more times a request is tried when no node received it (any request)
 *                            or, for a read, when none could serve it
 * @param retryBackoff        the first backoff before a read is retried, doubled for each retry
 * @param ringRefreshInterval how often the ring is fetched again (also at once when a node has a newer one)
 * @param routing             send requests to a node of the key's preference list; false sends them to any node
 * @param username            account presented to the nodes, which need one when their
 *                            dynamo.security.data-api=authenticated; empty presents none
 * @param password            password of that account; a secret, never logged; sent in clear like HTTP Basic unless
 *                            ssl.bundle is set
 * @param maxFrameSize        largest frame accepted from a node (a larger one closes the connection); as large
 *                            as the nodes' dynamo.transport.max-frame-size
 * @param ssl                 TLS to the nodes, which then need dynamo.transport.ssl.mode transitional or required
 */
@ConfigurationProperties("dynamo.client")
public record DynamoClientProperties(
        @DefaultValue List<String> seeds,
        @DefaultValue("dynamo") String serviceId,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("2") int retries,
        @DefaultValue("50ms") Duration retryBackoff,
        @DefaultValue("30s") Duration ringRefreshInterval,
        @DefaultValue("true") boolean routing,
        // documented first above: the metadata processor takes the first "@param r" it finds, even "@param retries"
        @DefaultValue("0") int r,
        @DefaultValue("0") int w,
        String username,
        String password,
        @DefaultValue("16MB") DataSize maxFrameSize,
        @DefaultValue Ssl ssl) {

    /**
     * TLS to the nodes.
     *
     * @param bundle         name of the SSL bundle ({@code spring.ssl.bundle.*}) whose trust material verifies the
     *                       nodes' certificates, and whose key, if any, is presented to them; empty talks in clear
     * @param verifyHostname whether a node's certificate must name the host it was dialled by
     */
    public record Ssl(String bundle, @DefaultValue("true") boolean verifyHostname) {
    }

    /** The client's settings, with seeds from {@code seeds}. */
    ClientSettings settings(DynamoSeeds from) {
        return new ClientSettings(from::addresses, connectTimeout, requestTimeout, retries, retryBackoff,
                ringRefreshInterval, routing, r, w, credentials(), Math.toIntExact(maxFrameSize.toBytes()), null);
    }

    private Credentials credentials() {
        if (username == null || username.isEmpty()) {
            if (password != null && !password.isEmpty()) {
                throw new IllegalArgumentException("dynamo.client.password is set but dynamo.client.username is not");
            }
            return null;
        }
        if (password == null) {
            throw new IllegalArgumentException("dynamo.client.username is set but dynamo.client.password is not");
        }
        return new Credentials(username, password);
    }

    @Override
    public String toString() {
        return "DynamoClientProperties[seeds=" + seeds + ", serviceId=" + serviceId + ", r=" + r + ", w=" + w
                + ", username=" + username + ", password=" + (password == null ? "null" : "(hidden)") + ", ...]";
    }
}
