package dev.dynamo.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.membership.ClusterView;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A running node's transfers appear in {@code /actuator/ring}. */
class TransfersEndpointTest {

    @RegisterExtension
    static final LocalNode node = LocalNode.withOperator();

    @Test
    void theRingEndpointListsThisNodesTransfers() throws Exception {
        assertThat(node.put("/kv/demo/moved", "x").statusCode()).isEqualTo(204);
        Ring ring = node.bean(ClusterView.class).requireRing();
        int partition = ring.partitionOf(StorageKey.of("demo", "moved".getBytes(StandardCharsets.UTF_8)).position());
        // the node is its own source here: the pull goes through its transport and merges what it holds
        node.bean(Transfers.class).start(partition, ring.members().getFirst()).get(10, TimeUnit.SECONDS);

        String view = node.getAsOperator("/actuator/ring").body();

        assertThat(view).contains("\"transfers\":[{\"partition\":" + partition + ",", "\"state\":\"DONE\"");
    }
}
