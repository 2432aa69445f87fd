package dev.dynamo.node.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what clients may send.
 *
 * @param maxValueSize largest value a PUT may store; larger bodies answer 413
 */
@ConfigurationProperties("dynamo.limits")
public record LimitsProperties(@DefaultValue("1MB") DataSize maxValueSize) {
}
