package dev.dynamo.node.membership;

import dev.dynamo.node.storage.StorageEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's identity; gossip and the ring join it here in later work. */
@Configuration(proxyBeanMethods = false)
class MembershipConfiguration {

    @Bean
    NodeIdentity nodeIdentity(StorageEngine engine, NodeProperties properties) {
        return NodeIdentity.load(engine, properties);
    }
}
