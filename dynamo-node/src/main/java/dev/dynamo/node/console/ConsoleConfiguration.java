package dev.dynamo.node.console;

import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.storage.StorageEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The admin console: its pages come from the dynamo-admin-ui jar (static resources under
 * {@code /admin/}), served at {@code /admin/}; this wires the status document it polls.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    @Bean
    NodeStatus nodeStatus(ClusterView cluster, HintStore hints, DynamoMetrics metrics, AntiEntropyJob antiEntropy,
            StorageEngine engine) {
        return new NodeStatus(cluster.self().id(), hints, metrics, antiEntropy, engine);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/admin", "/admin/");
        registry.addViewController("/admin/").setViewName("forward:/admin/index.html");
    }
}
