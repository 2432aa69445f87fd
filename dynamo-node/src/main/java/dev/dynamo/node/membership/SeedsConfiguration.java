package dev.dynamo.node.membership;

import dev.dynamo.node.transport.Transport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the seeds come from: the instances a Spring Cloud {@link DiscoveryClient} lists when
 * {@code dynamo.cluster.discovery.service-id} is set, else {@code dynamo.cluster.seeds}. The
 * service id decides rather than the client's presence, because spring-cloud-commons always
 * provides a (composite) DiscoveryClient.
 */
@Configuration(proxyBeanMethods = false)
class SeedsConfiguration {

    @Bean
    SeedProvider seedProvider(ClusterProperties properties, ObjectProvider<DiscoveryClient> discovery,
            Transport transport) {
        String serviceId = properties.discovery().serviceId().strip();
        if (serviceId.isEmpty()) {
            return new ConfiguredSeeds(properties.seeds(), transport.localAddress());
        }
        DiscoveryClient client = discovery.getIfAvailable();
        if (client == null) {
            throw new IllegalStateException("dynamo.cluster.discovery.service-id is '" + serviceId
                    + "' but the application has no Spring Cloud DiscoveryClient (is spring.cloud.discovery.enabled false?)");
        }
        return new DiscoverySeeds(client, serviceId);
    }
}
