package dev.dynamo.node.membership;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The instances a Spring Cloud {@link DiscoveryClient} lists for a service: each one's host, and the
 * port in its metadata {@value #PORT_METADATA}, else the default transport port. An empty list is no
 * cluster of one: the node waits until discovery lists it.
 */
public final class DiscoverySeeds implements SeedProvider {

    /** The instance metadata key holding the internode port. */
    public static final String PORT_METADATA = "dynamo-transport-port";
    /** The default of {@code dynamo.transport.port}. */
    static final int DEFAULT_PORT = 7070;

    private final DiscoveryClient discovery;
    private final String serviceId;

    public DiscoverySeeds(DiscoveryClient discovery, String serviceId) {
        this.discovery = discovery;
        this.serviceId = serviceId;
    }

    @Override
    public List<String> seeds() {
        return discovery.getInstances(serviceId).stream().map(DiscoverySeeds::address).distinct().sorted().toList();
    }

    private static String address(ServiceInstance instance) {
        String port = instance.getMetadata().get(PORT_METADATA);
        return instance.getHost() + ":" + (port == null || port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.strip()));
    }

    @Override
    public String toString() {
        return "instances of service '" + serviceId + "' from " + discovery.description();
    }
}
