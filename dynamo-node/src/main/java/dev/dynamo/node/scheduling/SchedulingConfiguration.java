package dev.dynamo.node.scheduling;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The real scheduler. */
@Configuration(proxyBeanMethods = false)
class SchedulingConfiguration {

    @Bean(destroyMethod = "close")
    ExecutorScheduler scheduler() {
        return new ExecutorScheduler();
    }
}
