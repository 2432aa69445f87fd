package dev.dynamo.client.autoconfigure;

import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.NettyDynamoClient;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link DynamoClient} from {@code dynamo.client.*}, unless the application defines its own. Seeds come
 * from {@code dynamo.client.seeds}, or, when those are empty and Spring Cloud's DiscoveryClient is there,
 * from the instances of {@code dynamo.client.service-id}. With {@code dynamo.client.ssl.bundle} it talks TLS. Its
 * calls are observed in the application's {@link ObservationRegistry}, when it has one ({@code ClientObservations}).
 */
@AutoConfiguration(afterName = "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration")
@EnableConfigurationProperties(DynamoClientProperties.class)
public final class DynamoClientAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DynamoClient.class)
    NettyDynamoClient dynamoClient(DynamoClientProperties properties, DynamoSeeds seeds,
            ObjectProvider<SslBundles> bundles, ObjectProvider<ObservationRegistry> observations) {
        ClientSettings settings = properties.settings(seeds);
        String bundle = properties.ssl().bundle();
        if (bundle != null && !bundle.isBlank()) {
            settings = settings.withTls(SslBundleClientTls.of(bundles.getObject().getBundle(bundle),
                    properties.ssl().verifyHostname()));
        }
        return new NettyDynamoClient(settings, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    DynamoSeeds dynamoSeeds(DynamoClientProperties properties) {
        List<String> seeds = List.copyOf(properties.seeds());
        return () -> seeds;
    }

    /** Declared before the configured seeds above, which it replaces when discovery is there and seeds are not set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DiscoveryClient.class)
    static class DiscoveredSeeds {

        @Bean
        @ConditionalOnMissingBean
        DynamoSeeds dynamoSeeds(DynamoClientProperties properties, ObjectProvider<DiscoveryClient> discovery) {
            DiscoveryClient client = discovery.getIfAvailable();
            List<String> seeds = List.copyOf(properties.seeds());
            return seeds.isEmpty() && client != null ? new DiscoverySeeds(client, properties.serviceId()) : () -> seeds;
        }
    }
}
