package dev.dynamo.node.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.scheduling.Ticker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Phi and the backoff on a clock the test moves. */
class PhiAccrualFailureDetectorTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();
    private final PhiAccrualFailureDetector detector = detector(8);
    private long lastBeat;

    @Test
    void aPeerNeverHeardOfIsAvailable() {
        assertThat(detector.phi("a")).isZero();
        assertThat(detector.isAvailable("a")).isTrue();
    }

    @Test
    void phiGrowsWithSilenceAndThePeerIsSuspectedOnceItReachesTheThreshold() {
        beatEverySecond("a", 30);
        double atOneBeat = phiAfter("a", 1000);
        assertThat(atOneBeat).as("one interval after the last beat").isLessThan(0.1);
        assertThat(phiAfter("a", 5000)).isGreaterThan(atOneBeat).isLessThan(8);
        assertThat(detector.isAvailable("a")).isTrue();
        // mean 1 s + margin 2 s + 5.2 standard deviations of (at least) 1 s
        assertThat(phiAfter("a", 8000)).isLessThan(8);
        assertThat(detector.isAvailable("a")).isTrue();
        assertThat(phiAfter("a", 8500)).isGreaterThanOrEqualTo(8);
        assertThat(detector.isAvailable("a")).isFalse();
        assertThat(detector.isAvailable("b")).as("another peer").isTrue();

        detector.heartbeat("a", 1);
        assertThat(detector.isAvailable("a")).as("a heartbeat again").isTrue();
    }

    @ParameterizedTest(name = "threshold {0}")
    @ValueSource(doubles = {0.5, 1, 3, 8, 12})
    void availabilityIsPhiBelowTheThreshold(double threshold) {
        PhiAccrualFailureDetector detector = detector(threshold);
        long now = clock.millis();
        for (int beat = 0; beat < 50; beat++) {
            clock.set(now + beat * 1000L + (beat % 3) * 300L); // some jitter
            detector.heartbeat("a", 1);
        }
        long last = clock.millis();
        for (long silence = 0; silence < 30_000; silence += 10) {
            clock.set(last + silence);
            assertThat(detector.isAvailable("a")).as("after %d ms of silence, phi %s", silence, detector.phi("a"))
                    .isEqualTo(detector.phi("a") < threshold);
        }
    }

    @Test
    void irregularHeartbeatsAreToleratedLonger() {
        ManualClock jitteryClock = new ManualClock();
        PhiAccrualFailureDetector jittery = new PhiAccrualFailureDetector(jitteryClock, 8, HEARTBEAT,
                Duration.ofMillis(200), Duration.ofSeconds(5));
        beatEverySecond("a", 40);
        for (int beat = 0; beat < 40; beat++) {
            jitteryClock.advance(beat % 2 == 0 ? 500 : 3500); // a mean of 2 s, a deviation of 1.5 s
            jittery.heartbeat("a", 1);
        }
        clock.advance(9000);
        jitteryClock.advance(9000);
        assertThat(detector.isAvailable("a")).as("steady after 9 s of silence").isFalse();
        assertThat(jittery.isAvailable("a")).as("jittery after 9 s of silence").isTrue();
    }

    @Test
    void aNewIncarnationStartsAFreshHistory() {
        beatEverySecond("a", 10);
        clock.advance(60_000); // down for a minute
        assertThat(detector.isAvailable("a")).isFalse();

        detector.heartbeat("a", 2);
        beatEverySecond("a", 2, 1);

        assertThat(detector.isAvailable("a")).isTrue();
        assertThat(phiAfter("a", 1000)).as("the minute down is no interval of the new incarnation").isLessThan(0.1);
    }

    @Test
    void aFailedRequestMakesThePeerSkippedForABackoffThatDoublesAndAReplyClearsIt() {
        beatEverySecond("a", 5);
        detector.failed("a");
        assertThat(detector.isAvailable("a")).isFalse();
        clock.advance(200);
        assertThat(detector.isAvailable("a")).as("after the first backoff").isTrue();

        detector.failed("a");
        clock.advance(399);
        assertThat(detector.isAvailable("a")).as("the second backoff is twice as long").isFalse();
        clock.advance(1);
        assertThat(detector.isAvailable("a")).isTrue();

        detector.failed("a");
        detector.succeeded("a");
        assertThat(detector.isAvailable("a")).as("a reply clears the backoff").isTrue();
    }

    @Test
    void aReplyShowsThePeerAliveThoughItsHeartbeatsStopped() {
        beatEverySecond("a", 10);
        clock.advance(9000);
        assertThat(detector.isAvailable("a")).isFalse();
        detector.succeeded("a");
        assertThat(detector.isAvailable("a")).isTrue();
    }

    @Test
    void theBackoffStopsGrowingAtItsCeiling() {
        for (int i = 0; i < 40; i++) {
            detector.failed("a");
        }
        clock.advance(4999);
        assertThat(detector.isAvailable("a")).isFalse();
        clock.advance(1);
        assertThat(detector.isAvailable("a")).isTrue();
    }

    private PhiAccrualFailureDetector detector(double threshold) {
        return new PhiAccrualFailureDetector(clock, threshold, HEARTBEAT, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    private void beatEverySecond(String id, int beats) {
        beatEverySecond(id, 1, beats);
    }

    private void beatEverySecond(String id, long generation, int beats) {
        for (int i = 0; i < beats; i++) {
            clock.advance(1000);
            detector.heartbeat(id, generation);
        }
        lastBeat = clock.millis();
    }

    /** Phi {@code millis} after the last of {@link #beatEverySecond}. */
    private double phiAfter(String id, long millis) {
        clock.set(lastBeat + millis);
        return detector.phi(id);
    }

    private static final class ManualClock implements Ticker {
        private long millis = 1_000_000;

        @Override
        public long nanos() {
            return millis * 1_000_000;
        }

        long millis() {
            return millis;
        }

        void advance(long by) {
            millis += by;
        }

        void set(long to) {
            millis = to;
        }
    }
}
