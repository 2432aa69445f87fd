package dev.dynamo.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.core.client.Credentials;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class DynamoClientAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(DynamoClientAutoConfiguration.class, DynamoHealthAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        static final DynamoClient CLIENT = mock(DynamoClient.class);

        @Bean
        DynamoClient myClient() {
            return CLIENT;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Discovery {
        @Bean
        DiscoveryClient discoveryClient() {
            return new DiscoveryClient() {
                @Override
                public String description() {
                    return "two instances";
                }

                @Override
                public List<ServiceInstance> getInstances(String serviceId) {
                    return !serviceId.equals("dynamo") ? List.of() : List.of(
                            new DefaultServiceInstance("a", "dynamo", "10.0.0.1", 8080, false,
                                    Map.of(DiscoverySeeds.PORT_METADATA, "7001")),
                            new DefaultServiceInstance("b", "dynamo", "10.0.0.2", 8080, false));
                }

                @Override
                public List<String> getServices() {
                    return List.of("dynamo");
                }
            };
        }
    }

    @Test
    void theClientsMetersComeWithItsOwnClientOnly() {
        ApplicationContextRunner metered = runner.withConfiguration(
                AutoConfigurations.of(DynamoClientMetricsAutoConfiguration.class));
        metered.withPropertyValues("dynamo.client.seeds=127.0.0.1:1")
                .run(context -> assertThat(context).hasSingleBean(DynamoClientMeters.class));
        metered.withUserConfiguration(OwnClient.class)
                .run(context -> assertThat(context).doesNotHaveBean(DynamoClientMeters.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnClient() {
        runner.withUserConfiguration(OwnClient.class).withPropertyValues("dynamo.client.seeds=127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasSingleBean(DynamoClient.class).doesNotHaveBean(NettyDynamoClient.class);
                    assertThat(context.getBean(DynamoClient.class)).isSameAs(OwnClient.CLIENT);
                });
    }

    @Test
    void talksClearUnlessAnSslBundleIsNamedWhichMustExist() {
        runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues("dynamo.client.seeds=127.0.0.1:1").run(context -> {
                    assertThat(context.getBean(DynamoClientProperties.class).ssl().verifyHostname()).isTrue();
                    assertThat(context).hasSingleBean(NettyDynamoClient.class);
                });
        runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues("dynamo.client.seeds=127.0.0.1:1", "dynamo.client.ssl.bundle=absent")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("absent"));
    }

    @Test
    void makesAClientFromTheProperties() {
        runner.withPropertyValues("dynamo.client.seeds=127.0.0.1:1,127.0.0.2:1", "dynamo.client.request-timeout=300ms",
                "dynamo.client.routing=false").run(context -> {
                    assertThat(context).hasSingleBean(NettyDynamoClient.class);
                    DynamoClientProperties properties = context.getBean(DynamoClientProperties.class);
                    assertThat(properties.requestTimeout()).isEqualTo(Duration.ofMillis(300));
                    assertThat(properties.routing()).isFalse();
                    assertThat(properties.retries()).isEqualTo(2);
                    assertThat(context.getBean(DynamoSeeds.class).addresses())
                            .containsExactly("127.0.0.1:1", "127.0.0.2:1");
                });
    }

    @Test
    void refusesNonsenseSettings() {
        runner.withPropertyValues("dynamo.client.seeds=127.0.0.1:1", "dynamo.client.retries=-1")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseMessage("dynamo.client.retries must be 0 or more, got -1"));
    }

    @Test
    void bindsDefaultQuorumsAndCredentialsWithoutShowingThePassword() {
        runner.withPropertyValues("dynamo.client.seeds=127.0.0.1:1", "dynamo.client.r=2", "dynamo.client.w=3",
                "dynamo.client.username=app", "dynamo.client.password=s3cret").run(context -> {
                    assertThat(context).hasSingleBean(NettyDynamoClient.class);
                    DynamoClientProperties properties = context.getBean(DynamoClientProperties.class);
                    ClientSettings settings = properties.settings(context.getBean(DynamoSeeds.class));
                    assertThat(settings.r()).isEqualTo(2);
                    assertThat(settings.w()).isEqualTo(3);
                    assertThat(settings.credentials()).isEqualTo(new Credentials("app", "s3cret"));
                    assertThat(properties.toString()).contains("app").doesNotContain("s3cret");
                    assertThat(settings.toString()).contains("app").doesNotContain("s3cret");
                });
    }

    @Test
    void byDefaultLeavesQuorumsToTheBucketAndPresentsNoCredentials() {
        runner.withPropertyValues("dynamo.client.seeds=127.0.0.1:1").run(context -> {
            ClientSettings settings = context.getBean(DynamoClientProperties.class)
                    .settings(context.getBean(DynamoSeeds.class));
            assertThat(settings.r()).isEqualTo(DynamoClient.BUCKET_QUORUM);
            assertThat(settings.w()).isEqualTo(DynamoClient.BUCKET_QUORUM);
            assertThat(settings.credentials()).isNull();
        });
    }

    @Test
    void refusesANegativeQuorumOrHalfTheCredentials() {
        runner.withPropertyValues("dynamo.client.seeds=127.0.0.1:1", "dynamo.client.w=-1")
                .run(context -> assertThat(context).hasFailed().getFailure().hasRootCauseMessage(
                        "dynamo.client.w must be 0 (the bucket's own W) or a quorum from 1 to the bucket's N, got -1"));
        runner.withPropertyValues("dynamo.client.seeds=127.0.0.1:1", "dynamo.client.password=s3cret")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseMessage("dynamo.client.password is set but dynamo.client.username is not"));
    }

    @Test
    void takesSeedsFromADiscoveryClientWhenNoneAreConfigured() {
        runner.withUserConfiguration(Discovery.class).run(context -> assertThat(
                context.getBean(DynamoSeeds.class).addresses()).containsExactly("10.0.0.1:7001", "10.0.0.2:7070"));
    }

    @Test
    void configuredSeedsWinOverDiscovery() {
        runner.withUserConfiguration(Discovery.class).withPropertyValues("dynamo.client.seeds=127.0.0.1:7070")
                .run(context -> assertThat(context.getBean(DynamoSeeds.class).addresses())
                        .containsExactly("127.0.0.1:7070"));
    }

    @Test
    void healthIsDownWithTheReasonWhenNoNodeAnswers() {
        when(OwnClient.CLIENT.fetchRing()).thenReturn(CompletableFuture.failedFuture(
                new IllegalStateException("cannot connect to 127.0.0.1:1")));
        runner.withUserConfiguration(OwnClient.class).run(context -> {
            DynamoHealthIndicator health = context.getBean(DynamoHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsEntry("error", "cannot connect to 127.0.0.1:1");
        });
    }
}
