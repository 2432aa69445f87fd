package dev.dynamo.client.autoconfigure;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.SiblingResolver;
import dev.dynamo.client.cache.CacheValueSerializer;
import dev.dynamo.client.cache.DynamoCacheManager;
import dev.dynamo.client.cache.JsonCacheValueSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link DynamoCacheManager} from {@code dynamo.cache.*} when the application enables caching and declares no
 * CacheManager of its own; ordered before Spring Boot's cache auto-configuration, which then backs off. Values are
 * JSON through the application's {@link JsonMapper} unless it declares a {@link CacheValueSerializer}; siblings
 * resolve to the newest unless it declares exactly one {@link SiblingResolver}.
 */
@AutoConfiguration(after = DynamoClientAutoConfiguration.class,
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({CacheManager.class, JsonMapper.class})
@ConditionalOnBean({CacheAspectSupport.class, DynamoClient.class})
@ConditionalOnMissingBean(CacheManager.class)
@ConditionalOnProperty(prefix = "dynamo.cache", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DynamoCacheProperties.class)
public final class DynamoCacheAutoConfiguration {

    @Bean
    DynamoCacheManager cacheManager(DynamoClient client, DynamoCacheProperties properties,
            ObjectProvider<CacheValueSerializer> serializer, ObjectProvider<JsonMapper> json,
            ObjectProvider<SiblingResolver> siblings, ApplicationContext context) {
        CacheValueSerializer values = serializer.getIfAvailable(() -> new JsonCacheValueSerializer(
                json.getIfAvailable(JsonMapper::new), context.getClassLoader()));
        return new DynamoCacheManager(client, properties.bucket(), properties.ttl(), properties.ttls(), values,
                siblings.getIfUnique(() -> DynamoCacheManager.NEWEST), properties.allowNullValues());
    }
}
