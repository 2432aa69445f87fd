package dev.dynamo.client.autoconfigure;

import dev.dynamo.client.DynamoClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code dynamo} health contributor, when the application has Spring Boot's health support. */
@AutoConfiguration(after = DynamoClientAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(DynamoClient.class)
public final class DynamoHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "dynamoHealthIndicator")
    DynamoHealthIndicator dynamoHealthIndicator(DynamoClient client, DynamoClientProperties properties) {
        return new DynamoHealthIndicator(client, properties.requestTimeout());
    }
}
