package dev.dynamo.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A flood of refusals logs a line per interval, and the next line says how many it left out. */
class RateLimitedLogTest {

    @Test
    void logsTheFirstEventThenOnePerInterval() {
        AtomicLong now = new AtomicLong();
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class),
                Duration.ofSeconds(10), now::get);

        assertThat(log.warn("refused 1")).isTrue();
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(Duration.ofMillis(50).toNanos()); // 20 a second, for 50 seconds
            if (log.warn("refused")) {
                logged++;
            }
        }

        assertThat(logged).isEqualTo(5);
    }
}
