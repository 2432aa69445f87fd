package dev.dynamo.node.secret;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The secret every node of a cluster shares, the one setting that both the transport and the data API
 * read: its own record, so that neither reads it from the other's settings.
 *
 * @param secret shared by every node of the cluster; authenticates nodes to each other (a node without
 *               it can neither read nor write replicas) and signs the causal contexts handed to clients
 *               (a context from another cluster is rejected)
 */
@ConfigurationProperties("dynamo.cluster")
public record ClusterSecret(@DefaultValue("") String secret) {

    /** The secret's UTF-8 bytes. */
    public byte[] bytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
