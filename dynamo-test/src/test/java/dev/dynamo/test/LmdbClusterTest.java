package dev.dynamo.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Value;
import dev.dynamo.test.DynamoTest.Storage;
import org.junit.jupiter.api.Test;

/** {@code storage = LMDB}: the node keeps its data in LMDB files, as a production node does. */
@DynamoTest(storage = Storage.LMDB)
class LmdbClusterTest {

    @Test
    void theNodesStoreInLmdb(DynamoCluster cluster) {
        try (DynamoClient client = cluster.newClient()) {
            client.put("lmdb", "k", Value.text("v"), CausalContext.NONE);
            assertThat(client.get("lmdb", "k").value().asText()).isEqualTo("v");
        }
        assertThat(DynamoExtensionTest.health(cluster, cluster.httpUrls().getFirst())).contains("\"engine\":\"lmdb\"");
    }
}
