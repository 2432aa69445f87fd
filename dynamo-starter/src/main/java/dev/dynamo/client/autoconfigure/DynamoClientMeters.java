package dev.dynamo.client.autoconfigure;

import dev.dynamo.client.NettyDynamoClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The client's own meters ({@link NettyDynamoClient.Stats}): {@code dynamo.client.connections} (nodes connected,
 * one multiplexed connection each), {@code dynamo.client.requests.in.flight}, {@code dynamo.client.retries} and
 * {@code dynamo.client.ring.refreshes}. Spring Boot binds it to the application's registry.
 */
public final class DynamoClientMeters implements MeterBinder {

    private final NettyDynamoClient client;

    public DynamoClientMeters(NettyDynamoClient client) {
        this.client = client;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("dynamo.client.connections", client, c -> c.stats().connectedNodes())
                .description("Nodes the client holds an open connection to").register(registry);
        Gauge.builder("dynamo.client.requests.in.flight", client, c -> c.stats().inFlight())
                .description("Client calls waiting for their answer").register(registry);
        FunctionCounter.builder("dynamo.client.retries", client, c -> c.stats().retries())
                .description("Calls sent again after a backoff").register(registry);
        FunctionCounter.builder("dynamo.client.ring.refreshes", client, c -> c.stats().ringRefreshes())
                .description("Rings fetched, on schedule or on news of a newer one").register(registry);
    }
}
