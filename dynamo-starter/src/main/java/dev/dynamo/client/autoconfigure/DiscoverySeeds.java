package dev.dynamo.client.autoconfigure;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The instances a Spring Cloud {@link DiscoveryClient} lists for the nodes' service: each one's host and
 * the transport port in its metadata {@value #PORT_METADATA} (the key the nodes use for their own
 * seeds), else the nodes' default port.
 */
final class DiscoverySeeds implements DynamoSeeds {

    static final String PORT_METADATA = "dynamo-transport-port";
    static final int DEFAULT_PORT = 7070;

    private final DiscoveryClient discovery;
    private final String serviceId;

    DiscoverySeeds(DiscoveryClient discovery, String serviceId) {
        this.discovery = discovery;
        this.serviceId = serviceId;
    }

    @Override
    public List<String> addresses() {
        return discovery.getInstances(serviceId).stream().map(DiscoverySeeds::address).distinct().toList();
    }

    private static String address(ServiceInstance instance) {
        String port = instance.getMetadata().get(PORT_METADATA);
        return instance.getHost() + ":" + (port == null || port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.strip()));
    }
}
