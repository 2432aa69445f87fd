package dev.dynamo.node.storage;

import dev.dynamo.node.membership.NodeIdentity;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the configured storage engine and the versioned store on top of it. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean(destroyMethod = "close")
    StorageEngine storageEngine(StorageProperties properties) {
        return StorageEngines.open(properties.engine(), properties.path(), properties.maxSize().toBytes(),
                properties.sync(), properties.syncInterval());
    }

    @Bean
    VersionedStore versionedStore(StorageEngine engine, NodeIdentity identity, InstantSource clock,
            ObjectProvider<ChangeListener> listener) {
        return new VersionedStore(engine, identity.actor(), clock, listener.getIfAvailable(() -> ChangeListener.NONE));
    }

    @Bean
    StorageHealthIndicator storageHealthIndicator(StorageEngine engine, StorageProperties properties) {
        return new StorageHealthIndicator(engine, properties);
    }
}
