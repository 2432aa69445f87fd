package dev.dynamo.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.cache.DynamoCache;
import dev.dynamo.client.cache.DynamoCacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class DynamoCacheAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DynamoCacheAutoConfiguration.class))
            .withBean(DynamoClient.class, () -> mock(DynamoClient.class));

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class OwnCacheManager {
        @Bean
        CacheManager myCaches() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Test
    void anApplicationThatEnablesCachingGetsTheDynamoCacheManager() {
        runner.withUserConfiguration(Caching.class).run(context ->
                assertThat(context).getBean(CacheManager.class).isInstanceOf(DynamoCacheManager.class));
    }

    @Test
    void noneWithoutEnableCachingWithTheApplicationsOwnOrWhenSwitchedOff() {
        runner.run(context -> assertThat(context).doesNotHaveBean(CacheManager.class));
        runner.withUserConfiguration(OwnCacheManager.class).run(context ->
                assertThat(context).getBean(CacheManager.class).isInstanceOf(ConcurrentMapCacheManager.class));
        // switched off, caching is left to another CacheManager: here there is none, which Spring refuses
        runner.withUserConfiguration(Caching.class).withPropertyValues("dynamo.cache.enabled=false")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("register a CacheManager bean"));
    }

    @Test
    void cachesShareTheConfiguredBucketUnderTheirOwnPrefix() {
        runner.withUserConfiguration(Caching.class)
                .withPropertyValues("dynamo.cache.bucket=caches", "dynamo.cache.ttls.prices=10m")
                .run(context -> {
                    DynamoCache prices = (DynamoCache) context.getBean(CacheManager.class).getCache("prices");
                    assertThat(prices.bucket()).isEqualTo("caches");
                    assertThat(prices.getName()).isEqualTo("prices");
                });
    }
}
