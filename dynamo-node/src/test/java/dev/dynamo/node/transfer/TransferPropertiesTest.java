package dev.dynamo.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The transfer knobs of admission control: defaults, off at zero, and a clear refusal of a negative limit. */
class TransferPropertiesTest {

    @Test
    void transfersYieldAbove50MsByDefaultAndNeverAtZero() {
        assertThat(bind(Map.of()).maxForegroundLatency()).isEqualTo(Duration.ofMillis(50));
        assertThat(bind(Map.of("dynamo.transfer.max-foreground-latency", "0")).maxForegroundLatency())
                .isEqualTo(Duration.ZERO);
        assertThat(bind(Map.of()).maxYield()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesANegativeLatencyLimit() {
        assertThatThrownBy(() -> bind(Map.of("dynamo.transfer.max-foreground-latency", "-1ms")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("dynamo.transfer.max-foreground-latency must not be negative");
    }

    private static TransferProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("dynamo.transfer", TransferProperties.class);
    }
}
