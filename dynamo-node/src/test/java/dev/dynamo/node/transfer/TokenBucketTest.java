package dev.dynamo.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final ManualClock clock = new ManualClock();
    private final TokenBucket bucket = new TokenBucket(1_000, clock);

    @Test
    void aBatchGoesAtOnceAndTheNextWaitsUntilItIsPaidFor() {
        assertThat(bucket.delay()).isZero();
        bucket.take(500);
        assertThat(bucket.delay()).isEqualTo(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(200));
        assertThat(bucket.delay()).isEqualTo(Duration.ofMillis(300));
        clock.advance(Duration.ofMillis(300));
        assertThat(bucket.delay()).isZero();
    }

    @Test
    void sendingWheneverAllowedKeepsToTheRate() {
        long taken = 0;
        for (int batch = 0; batch < 1_000; batch++) {
            clock.advance(bucket.delay());
            bucket.take(137);
            taken += 137;
        }
        // 1,000 batches: the last was taken at once, so the clock has paid for all but it
        Duration elapsed = Duration.ofNanos(Math.round((taken - 137) * 1e9 / 1_000));
        assertThat(clock.instant()).isBetween(ManualClock.START.plus(elapsed).minusMillis(1),
                ManualClock.START.plus(elapsed).plusMillis(1));
    }

    @Test
    void anIdleSpellSavesUpAtMostOneSecondsWorth() {
        clock.advance(Duration.ofMinutes(10));
        bucket.take(1_000);
        assertThat(bucket.delay()).isZero();
        bucket.take(1);
        assertThat(bucket.delay()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void theRateMustBePositive() {
        assertThatThrownBy(() -> new TokenBucket(0, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 byte per second");
    }
}
