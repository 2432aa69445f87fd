package dev.dynamo.node;

import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one place the node reads the system clock; everything else takes an {@link InstantSource}. */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }
}
