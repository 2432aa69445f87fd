package dev.dynamo.node.storage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the configured storage engine and reports its health. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean(destroyMethod = "close")
    StorageEngine storageEngine(StorageProperties properties) {
        return StorageEngines.open(properties.engine(), properties.path(), properties.maxSize().toBytes(),
                properties.sync(), properties.syncInterval());
    }

    @Bean
    StorageHealthIndicator storageHealthIndicator(StorageEngine engine, StorageProperties properties) {
        return new StorageHealthIndicator(engine, properties);
    }
}
