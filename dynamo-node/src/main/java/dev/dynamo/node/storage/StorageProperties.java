package dev.dynamo.node.storage;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where and how a node stores its data.
 *
 * @param engine       storage engine: {@code lmdb} (default), {@code h2} or {@code memory}
 * @param path         directory holding the node's files
 * @param maxSize      most the store may hold on disk; LMDB's map size; writes past it answer 507
 * @param sync         when commits are forced to disk: {@code always}, {@code interval} or {@code never}
 * @param syncInterval how often {@code sync=interval} forces commits to disk
 */
@ConfigurationProperties("dynamo.storage")
public record StorageProperties(
        @DefaultValue("lmdb") String engine,
        @DefaultValue("./data") Path path,
        @DefaultValue("10GB") DataSize maxSize,
        @DefaultValue("always") SyncPolicy sync,
        @DefaultValue("1s") Duration syncInterval) {
}
