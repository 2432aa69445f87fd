package dev.dynamo.node.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

    private final AtomicReference<Duration> latency = new AtomicReference<>(Duration.ZERO);

    @Test
    void admitsWhileTheRecentLatencyIsWithinTheLimitAndAgainOnceItFalls() {
        AdmissionControl admission = new AdmissionControl("test", Duration.ofMillis(50), latency::get);

        assertThat(admission.admits()).isTrue();
        latency.set(Duration.ofMillis(50));
        assertThat(admission.admits()).as("at the limit").isTrue();
        latency.set(Duration.ofMillis(51));
        assertThat(admission.admits()).as("above it").isFalse();
        latency.set(Duration.ofMillis(10));
        assertThat(admission.admits()).as("fast again").isTrue();
    }

    @Test
    void aZeroLimitAlwaysAdmits() {
        latency.set(Duration.ofSeconds(10));

        assertThat(new AdmissionControl("test", Duration.ZERO, latency::get).admits()).isTrue();
    }
}
