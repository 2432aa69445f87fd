package dev.dynamo.node.membership;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who this node is.
 *
 * @param id   the node's name in the cluster; when empty, one is generated at first start and kept
 *             in the node's storage
 * @param zone the failure zone (rack, availability zone) replicas are spread over
 */
@ConfigurationProperties("dynamo.node")
public record NodeProperties(String id, @DefaultValue("default") String zone) {
}
