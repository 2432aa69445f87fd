package dev.dynamo.node.kv;

import dev.dynamo.core.version.CausalContextCodec;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.membership.ClusterProperties;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The data requests both doors serve, and the context codec, keyed by the cluster secret, they sign contexts with. */
@Configuration(proxyBeanMethods = false)
class KvConfiguration {

    @Bean
    CausalContextCodec causalContextCodec(ClusterProperties cluster) {
        return new CausalContextCodec(cluster.secret().getBytes(StandardCharsets.UTF_8));
    }

    @Bean
    KvService kvService(RequestCoordinator coordinator, CausalContextCodec contexts, LimitsProperties limits) {
        return new KvService(coordinator, contexts, limits.maxValueSize().toBytes());
    }
}
