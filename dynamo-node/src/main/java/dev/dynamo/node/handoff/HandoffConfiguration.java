package dev.dynamo.node.handoff;

import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.FailureDetector;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.Rounds;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.transport.Transport;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hint store and the job that delivers hints. */
@Configuration(proxyBeanMethods = false)
class HandoffConfiguration {

    @Bean
    HintStore hintStore(StorageEngine engine, DynamoMetrics metrics) {
        return new HintStore(engine, metrics);
    }

    @Bean
    HintDeliveryJob hintDeliveryJob(HintStore hints, ClusterView cluster, Transport transport,
            FailureDetector detector, HandoffProperties properties, AntiEntropyProperties antiEntropy,
            InstantSource clock, DynamoMetrics metrics) {
        return new HintDeliveryJob(hints, cluster, transport, detector, properties.batch(),
                antiEntropy.tombstoneGrace(), clock, metrics);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    Rounds hintDeliveryRounds(HintDeliveryJob job, Scheduler scheduler, HandoffProperties properties) {
        return new Rounds("hint delivery", scheduler, properties.interval(), job::deliverOnce);
    }
}
