package dev.dynamo.node.kv;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what clients may send.
 *
 * @param maxValueSize largest value a put may store, on either door; larger ones are refused (HTTP 413)
 */
@ConfigurationProperties("dynamo.limits")
public record LimitsProperties(@DefaultValue("1MB") DataSize maxValueSize) {
}
