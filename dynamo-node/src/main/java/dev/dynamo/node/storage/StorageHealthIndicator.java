package dev.dynamo.node.storage;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Storage health: up while the engine answers, with how full it is. */
final class StorageHealthIndicator extends AbstractHealthIndicator {

    private final StorageEngine engine;
    private final StorageProperties properties;

    StorageHealthIndicator(StorageEngine engine, StorageProperties properties) {
        super("storage health check failed");
        this.engine = engine;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long used = engine.sizeInBytes();
        long max = properties.maxSize().toBytes();
        builder.up()
                .withDetail("engine", properties.engine())
                .withDetail("usedBytes", used)
                .withDetail("maxBytes", max)
                .withDetail("sync", properties.sync().name().toLowerCase());
    }
}
