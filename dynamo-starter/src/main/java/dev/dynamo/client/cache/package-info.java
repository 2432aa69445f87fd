/** Spring's cache abstraction over Dynamo: a {@code CacheManager} whose caches are buckets (or parts of one). */
package dev.dynamo.client.cache;
