package dev.dynamo.test;

import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points the Spring test context of a class that asks for a cluster at it: {@code dynamo.client.seeds} becomes
 * the cluster's nodes, ahead of the application's own properties. Contexts of classes asking for the same
 * cluster stay one cached context.
 */
final class DynamoContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return ClusterSpec.of(testClass).map(ClusterProperties::new).orElse(null);
    }

    /** Equal for equal specs, which is what keeps Spring's context cache working. */
    private record ClusterProperties(ClusterSpec spec) implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            DynamoCluster cluster = DynamoCluster.shared(spec);
            context.getEnvironment().getPropertySources().addFirst(
                    new MapPropertySource("dynamoTestCluster", Map.of("dynamo.client.seeds", cluster.seeds())));
        }
    }
}
