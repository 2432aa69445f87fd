package dev.dynamo.client.autoconfigure;

import dev.dynamo.client.NettyDynamoClient;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The client's meters ({@link DynamoClientMeters}) when the application has Micrometer, which binds them. */
@AutoConfiguration(after = DynamoClientAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(NettyDynamoClient.class)
public final class DynamoClientMetricsAutoConfiguration {

    @Bean
    DynamoClientMeters dynamoClientMeters(NettyDynamoClient client) {
        return new DynamoClientMeters(client);
    }
}
