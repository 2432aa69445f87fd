package dev.dynamo.node.metrics;

import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transfer.TransferProgress;
import dev.dynamo.node.transfer.Transfers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's meters, registered in the registry the actuator exports: the request path's own
 * ({@link DynamoMetrics}), and readings of the background jobs' counts, taken when scraped.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    DynamoMetrics dynamoMetrics(MeterRegistry registry) {
        return new DynamoMetrics(registry);
    }

    @Bean
    MeterBinder backgroundJobMeters(Gossiper gossiper, Transfers transfers, PartitionSource source) {
        return registry -> {
            FunctionCounter.builder("dynamo.gossip.rounds", gossiper, Gossiper::rounds)
                    .description("gossip rounds this node ran").register(registry);
            FunctionCounter.builder("dynamo.transfer.entries.served", source, PartitionSource::entriesServed)
                    .description("partition entries this node sent to nodes pulling them").register(registry);
            FunctionCounter.builder("dynamo.transfer.deferrals", transfers, Transfers::deferrals)
                    .description("pauses of this node's transfers before a batch because client requests were slow")
                    .register(registry);
            Gauge.builder("dynamo.transfer.partitions", transfers, t -> t.progress().stream()
                            .filter(p -> !"DONE".equals(p.state())).count())
                    .description("partitions this node is still pulling").register(registry);
            Gauge.builder("dynamo.transfer.bytes.done", transfers, t -> t.progress().stream()
                            .mapToLong(TransferProgress::bytesDone).sum())
                    .description("bytes received by this node's current transfers").baseUnit("bytes").register(registry);
            Gauge.builder("dynamo.transfer.bytes.total", transfers, t -> t.progress().stream()
                            .mapToLong(p -> p.bytesTotal() == null ? p.bytesDone() : p.bytesTotal()).sum())
                    .description("bytes this node's current transfers will receive, as the sources estimate")
                    .baseUnit("bytes").register(registry);
        };
    }
}
