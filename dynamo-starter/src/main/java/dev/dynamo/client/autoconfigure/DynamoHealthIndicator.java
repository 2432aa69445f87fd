package dev.dynamo.client.autoconfigure;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.core.ring.Ring;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Up while some node of the cluster answers with its ring (version and members in the details), else down with why. */
final class DynamoHealthIndicator implements HealthIndicator {

    private final DynamoClient client;
    private final Duration timeout;

    DynamoHealthIndicator(DynamoClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            Ring ring = client.fetchRing().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Health.up().withDetail("ringVersion", ring.version())
                    .withDetail("members", ring.members().size()).build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", String.valueOf(e.getCause().getMessage())).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "no node answered within " + timeout).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }
}
