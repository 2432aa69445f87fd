package dev.dynamo.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's meters of the request path and its background work ({@link DynamoMetrics}), registered
 * in the registry the actuator exports.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    DynamoMetrics dynamoMetrics(MeterRegistry registry) {
        return new DynamoMetrics(registry);
    }
}
