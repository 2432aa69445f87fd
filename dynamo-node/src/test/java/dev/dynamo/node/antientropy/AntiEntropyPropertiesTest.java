package dev.dynamo.node.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The anti-entropy knobs: their defaults, and a clear refusal of values that make no sense. */
class AntiEntropyPropertiesTest {

    @Test
    void defaultsToRoundsEvery30SecondsOfAtMost1000KeysASecondOverTreesOf256LeavesYieldingAbove50Ms() {
        AntiEntropyProperties properties = bind(Map.of());
        assertThat(properties).isEqualTo(new AntiEntropyProperties(Duration.ofSeconds(30), 1000, 2, Duration.ofMillis(50),
                Duration.ofHours(1), 500));
    }

    @Test
    void bindsEveryKnob() {
        assertThat(bind(Map.of("dynamo.antientropy.interval", "2m", "dynamo.antientropy.max-keys-per-second", "50",
                "dynamo.antientropy.tree-depth", "3", "dynamo.antientropy.max-foreground-latency", "0",
                "dynamo.antientropy.tombstone-grace", "2s", "dynamo.antientropy.reap-batch", "10")))
                .isEqualTo(new AntiEntropyProperties(Duration.ofMinutes(2), 50, 3, Duration.ZERO, Duration.ofSeconds(2), 10));
    }

    @Test
    void refusesValuesThatMakeNoSense() {
        assertThatThrownBy(() -> bind(Map.of("dynamo.antientropy.interval", "0s"))).isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("dynamo.antientropy.interval must be positive");
        assertThatThrownBy(() -> bind(Map.of("dynamo.antientropy.max-keys-per-second", "0")))
                .rootCause().hasMessageContaining("max-keys-per-second must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("dynamo.antientropy.tree-depth", "5")))
                .rootCause().hasMessageContaining("tree-depth must be between 1 and 4");
        assertThatThrownBy(() -> bind(Map.of("dynamo.antientropy.max-foreground-latency", "-1ms")))
                .rootCause().hasMessageContaining("max-foreground-latency must not be negative");
        assertThatThrownBy(() -> bind(Map.of("dynamo.antientropy.tombstone-grace", "-1s")))
                .rootCause().hasMessageContaining("tombstone-grace must not be negative");
        assertThatThrownBy(() -> bind(Map.of("dynamo.antientropy.reap-batch", "0")))
                .rootCause().hasMessageContaining("reap-batch must be at least 1");
    }

    private static AntiEntropyProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("dynamo.antientropy", AntiEntropyProperties.class);
    }
}
