package dev.dynamo.client.autoconfigure;

import dev.dynamo.client.ClientSettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The auto-configured {@link dev.dynamo.client.DynamoClient}.
 *
 * @param seeds               nodes' transport addresses ({@code host:port}, their {@code dynamo.transport.port}) to
 *                            learn the ring from; empty takes them from a Spring Cloud DiscoveryClient
 * @param serviceId           the service whose instances a DiscoveryClient lists as seeds, when no seeds are set
 * @param connectTimeout      how long opening a connection to a node may take
 * @param requestTimeout      how long a request may wait for its node's reply
 * @param readRetries         how many more times a read that no node could serve is tried
 * @param retryBackoff        the first backoff before a read is retried, doubled for each retry
 * @param ringRefreshInterval how often the ring is fetched again (also at once when a node has a newer one)
 * @param routing             send requests to a node of the key's preference list; false sends them to any node
 */
@ConfigurationProperties("dynamo.client")
public record DynamoClientProperties(
        @DefaultValue List<String> seeds,
        @DefaultValue("dynamo") String serviceId,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("2") int readRetries,
        @DefaultValue("50ms") Duration retryBackoff,
        @DefaultValue("30s") Duration ringRefreshInterval,
        @DefaultValue("true") boolean routing) {

    /** The client's settings, with seeds from {@code seeds}. */
    ClientSettings settings(DynamoSeeds from) {
        return new ClientSettings(from::addresses, connectTimeout, requestTimeout, readRetries, retryBackoff,
                ringRefreshInterval, routing);
    }
}
