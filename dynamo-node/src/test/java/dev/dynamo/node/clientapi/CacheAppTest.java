package dev.dynamo.node.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.client.cache.DynamoCacheManager;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.transport.NettyTransport;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An application with {@code @Cacheable} and only the starter and properties, against a real node: its values
 * are stored in the node, evicted, and expire with the cache's TTL.
 */
class CacheAppTest {

    record Price(String item, long cents) {
    }

    /** Counts its loads: a cached call does not load. */
    static class Prices {
        private final AtomicInteger loads = new AtomicInteger();

        /** A method, since the bean is a proxy whose fields are not the target's. */
        public int loads() {
            return loads.get();
        }

        @Cacheable("prices")
        public Price price(String item) {
            return new Price(item, 100 + loads.incrementAndGet());
        }

        @CacheEvict("prices")
        public void changed(String item) {
        }

        @Cacheable("quotes")
        public Price quote(String item) {
            return new Price(item, loads.incrementAndGet());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableCaching
    static class Shop {
        @Bean
        Prices prices() {
            return new Prices();
        }
    }

    private static LocalNode node;
    private static ConfigurableApplicationContext shop;

    @BeforeAll
    static void start() {
        node = LocalNode.start();
        shop = new SpringApplicationBuilder(Shop.class).web(WebApplicationType.NONE).run(
                "--dynamo.client.seeds=" + node.bean(NettyTransport.class).localAddress(),
                "--dynamo.cache.ttls.quotes=2s", "--spring.main.banner-mode=off", "--logging.level.root=WARN");
    }

    @AfterAll
    static void stop() {
        shop.close();
        node.close();
    }

    @Test
    void aCachedCallLoadsOnceAndIsStoredInTheNodeUntilEvicted() throws Exception {
        Prices prices = shop.getBean(Prices.class);
        assertThat(shop.getBean(CacheManager.class)).isInstanceOf(DynamoCacheManager.class);
        int before = prices.loads();

        Price first = prices.price("apple");
        assertThat(prices.price("apple")).isEqualTo(first);
        assertThat(prices.loads() - before).isEqualTo(1);
        assertThat(node.get("/kv/prices/apple").body()).as("the entry, as JSON in the node")
                .contains("\"type\":\"" + Price.class.getName() + "\"").contains("\"item\":\"apple\"");

        prices.changed("apple");
        assertThat(node.get("/kv/prices/apple").statusCode()).isEqualTo(404);
        assertThat(prices.price("apple")).isNotEqualTo(first);
        assertThat(prices.loads() - before).isEqualTo(2);
    }

    @Test
    void anEntryExpiresWithItsCachesTtl() {
        Prices prices = shop.getBean(Prices.class);
        Price first = prices.quote("pear");
        assertThat(prices.quote("pear")).isEqualTo(first);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (prices.quote("pear").equals(first)) { // bounded poll: the entry expires 2 s after its write
            assertThat(System.nanoTime()).as("expired within 15 s").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
