package dev.dynamo.test.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.test.DynamoTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code @Cacheable} against a real three-node cluster: the value is loaded once, kept in the cluster as JSON in
 * the cache's bucket, and loaded again after an evict.
 */
@DynamoTest(nodes = 3)
@SpringBootTest(properties = "dynamo.cache.ttls.prices=10m")
class PricesTest {

    @Autowired
    Prices prices;

    @Autowired
    DynamoClient dynamo;

    @Test
    void aCachedPriceIsLoadedOnceKeptInTheClusterAndLoadedAgainAfterAnEvict() {
        assertThat(prices.price("apple").cents()).isEqualTo(101);
        assertThat(prices.price("apple").cents()).as("from the cache").isEqualTo(101);
        assertThat(prices.loads()).isOne();
        assertThat(dynamo.get("prices", "apple").value().asText()).as("stored as JSON")
                .contains("\"item\":\"apple\"", "\"cents\":101");

        prices.changed("apple");
        assertThat(dynamo.get("prices", "apple").isFound()).isFalse();
        assertThat(prices.price("apple").cents()).as("loaded again").isEqualTo(102);
    }
}
