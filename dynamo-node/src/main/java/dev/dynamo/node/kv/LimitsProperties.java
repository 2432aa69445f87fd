package dev.dynamo.node.kv;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what clients may send and store.
 *
 * @param maxValueSize  largest value a put may store, on either door; larger ones are refused (HTTP 413)
 * @param maxSiblings   most siblings (tombstones included) a key may hold after a client's write; a write
 *                      past it is refused (HTTP 413), and from a quarter of it writes are counted and logged
 * @param maxObjectSize largest a key's whole stored object (every sibling and clock) may grow through a
 *                      client's write; past it the write is refused (HTTP 413), from a fifth of it counted
 *                      and logged. Keep it well under {@code dynamo.transport.max-frame-size}, so every
 *                      object can be replicated, handed off and transferred
 */
@ConfigurationProperties("dynamo.limits")
public record LimitsProperties(@DefaultValue("1MB") DataSize maxValueSize, @DefaultValue("100") int maxSiblings,
        @DefaultValue("8MB") DataSize maxObjectSize) {
}
