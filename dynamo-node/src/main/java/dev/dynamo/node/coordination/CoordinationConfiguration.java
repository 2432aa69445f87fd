package dev.dynamo.node.coordination;

import dev.dynamo.node.storage.VersionedStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the request coordinator and the per-bucket settings. */
@Configuration(proxyBeanMethods = false)
class CoordinationConfiguration {

    @Bean
    BucketPolicies bucketPolicies(ReplicationProperties properties) {
        return new BucketPolicies(properties);
    }

    @Bean
    RequestCoordinator requestCoordinator(VersionedStore store, BucketPolicies policies) {
        return new RequestCoordinator(store, policies);
    }
}
