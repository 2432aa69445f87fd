package dev.dynamo.node.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.transport.ScriptedTransport;
import dev.dynamo.node.transport.Transport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Seeds from configuration, or from a DiscoveryClient when a service id is set. */
class SeedsConfigurationTest {

    private static final String SELF = "10.0.0.9:7070";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SeedsConfiguration.class, Wiring.class)
            .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class,
                    SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class));

    @Test
    void seedsComeFromConfigurationByDefault() {
        runner.withPropertyValues("dynamo.cluster.seeds=10.0.0.2:7070, 10.0.0.1:7070,10.0.0.2:7070").run(context -> {
            SeedProvider seeds = context.getBean(SeedProvider.class);
            assertThat(seeds).isInstanceOf(ConfiguredSeeds.class);
            assertThat(seeds.seeds()).containsExactly("10.0.0.1:7070", "10.0.0.2:7070");
        });
    }

    @Test
    void withNoSeedsConfiguredTheNodeIsAClusterOfOne() {
        runner.run(context -> assertThat(context.getBean(SeedProvider.class).seeds()).containsExactly(SELF));
    }

    @Test
    void withAServiceIdTheSeedsAreTheInstancesTheDiscoveryClientLists() {
        runner.withPropertyValues("dynamo.cluster.discovery.service-id=dynamo",
                "dynamo.cluster.seeds=10.0.0.1:7070", // ignored
                "spring.cloud.discovery.client.simple.instances.dynamo[0].uri=http://10.0.1.2:8080",
                "spring.cloud.discovery.client.simple.instances.dynamo[0].metadata.dynamo-transport-port=7171",
                "spring.cloud.discovery.client.simple.instances.dynamo[1].uri=http://10.0.1.1:8080",
                "spring.cloud.discovery.client.simple.instances.other[0].uri=http://10.0.2.1:8080").run(context -> {
                    SeedProvider seeds = context.getBean(SeedProvider.class);
                    assertThat(seeds).isInstanceOf(DiscoverySeeds.class);
                    assertThat(seeds.seeds()).as("the transport port from metadata, else the default")
                            .containsExactly("10.0.1.1:7070", "10.0.1.2:7171");
                });
    }

    @Test
    void discoveryListingNothingYetIsNoClusterOfOne() {
        runner.withPropertyValues("dynamo.cluster.discovery.service-id=dynamo")
                .run(context -> assertThat(context.getBean(SeedProvider.class).seeds()).isEmpty());
    }

    @Test
    void aServiceIdWithoutADiscoveryClientStopsTheStartSayingWhy() {
        new ApplicationContextRunner().withUserConfiguration(SeedsConfiguration.class, Wiring.class)
                .withPropertyValues("dynamo.cluster.discovery.service-id=dynamo").run(context -> assertThat(context)
                        .getFailure().rootCause().hasMessageContaining("dynamo.cluster.discovery.service-id is 'dynamo' but "
                                + "the application has no Spring Cloud DiscoveryClient"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ClusterProperties.class)
    static class Wiring {

        @Bean
        Transport transport() {
            return new ScriptedTransport(SELF, request -> {
                throw new UnsupportedOperationException("no requests in this test");
            });
        }
    }
}
