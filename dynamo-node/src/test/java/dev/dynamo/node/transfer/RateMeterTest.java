package dev.dynamo.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateMeterTest {

    private final ManualClock clock = new ManualClock();
    private final RateMeter meter = new RateMeter();

    @Test
    void noRateBeforeTwoSamples() {
        assertThat(meter.perSecond(clock.instant())).isZero();
        meter.record(clock.instant(), 0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(meter.perSecond(clock.instant())).isZero();
    }

    @Test
    void theRateCoversTheLastWindowOnly() {
        long total = 0;
        meter.record(clock.instant(), total);
        for (int second = 0; second < 20; second++) { // 100 B/s, then 1,000 B/s
            clock.advance(Duration.ofSeconds(1));
            total += second < 10 ? 100 : 1_000;
            meter.record(clock.instant(), total);
        }
        assertThat(meter.perSecond(clock.instant())).isCloseTo(1_000, within(1e-9));
    }

    @Test
    void aStalledTransfersRateFalls() {
        meter.record(clock.instant(), 0);
        clock.advance(Duration.ofSeconds(2));
        meter.record(clock.instant(), 2_000);
        assertThat(meter.perSecond(clock.instant())).isCloseTo(1_000, within(1e-9));
        clock.advance(Duration.ofSeconds(2));
        assertThat(meter.perSecond(clock.instant())).isCloseTo(500, within(1e-9));
    }
}
