package dev.dynamo.test.shop;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** The README's cached service; it counts its loads from "the catalogue", which a cached call does not make. */
@Service
class Prices {

    record Price(String item, long cents) {
    }

    private final AtomicInteger loads = new AtomicInteger();

    @Cacheable("prices")
    public Price price(String item) {
        return loadFromTheCatalogue(item);
    }

    @CacheEvict("prices")
    public void changed(String item) {
    }

    /** A method, since the bean is a proxy whose fields are not the target's. */
    public int loads() {
        return loads.get();
    }

    private Price loadFromTheCatalogue(String item) {
        return new Price(item, 100 + loads.incrementAndGet());
    }
}
