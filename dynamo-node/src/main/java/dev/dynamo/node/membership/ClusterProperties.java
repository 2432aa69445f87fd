package dev.dynamo.node.membership;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cluster this node belongs to (its secret is {@link dev.dynamo.node.secret.ClusterSecret}).
 *
 * @param seeds      internode addresses ({@code host:port}) of seed nodes: at first start, the seeds
 *                   that include this node's own address form the cluster; later, gossip turns to them
 *                   now and then; empty (and no discovery): this node is a cluster of one
 * @param partitions the number of ring partitions Q, a power of two, fixed when the cluster forms
 * @param discovery  seeds from a Spring Cloud DiscoveryClient instead of {@code seeds}
 */
@ConfigurationProperties("dynamo.cluster")
public record ClusterProperties(@DefaultValue List<String> seeds,
        @DefaultValue("256") int partitions, @DefaultValue Discovery discovery) {

    /**
     * Seeds from service discovery.
     *
     * @param serviceId when set, the seeds are the instances the application's DiscoveryClient lists for this
     *                  service (each one's host, and the port in its metadata {@code dynamo-transport-port},
     *                  else 7070), and {@code dynamo.cluster.seeds} is ignored
     */
    public record Discovery(@DefaultValue("") String serviceId) {
    }
}
