package dev.dynamo.test.shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/** The README's caching example ("Using Dynamo from Spring"): caching enabled, nothing else declared. */
@SpringBootApplication
@EnableCaching
class Shop {
}
