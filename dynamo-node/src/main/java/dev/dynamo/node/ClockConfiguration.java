package dev.dynamo.node;

import dev.dynamo.node.scheduling.Ticker;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one place the node reads the system clocks; everything else takes an {@link InstantSource} (the
 * wall clock) or a {@link Ticker} (the monotonic one).
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    Ticker ticker() {
        return System::nanoTime;
    }
}
