package dev.dynamo.client.autoconfigure;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The auto-configured {@link dev.dynamo.client.cache.DynamoCacheManager}, made when the application enables caching
 * ({@code @EnableCaching}) and declares no {@code CacheManager} of its own.
 *
 * @param enabled         false leaves caching to another CacheManager (Spring Boot's own, by spring.cache.type)
 * @param bucket          one bucket for every cache, each under the key prefix {@code <cache name>::}; empty gives
 *                        each cache a bucket of its own name
 * @param ttl             how long an entry lives, unless its cache has a TTL in ttls; empty: until evicted
 * @param ttls            TTL per cache name, as the store's expiry (dynamo.cache.ttls.prices=10m)
 * @param allowNullValues cache null results too, as a stored marker
 */
@ConfigurationProperties("dynamo.cache")
public record DynamoCacheProperties(@DefaultValue("true") boolean enabled, String bucket, Duration ttl,
        @DefaultValue Map<String, Duration> ttls, @DefaultValue("true") boolean allowNullValues) {
}
