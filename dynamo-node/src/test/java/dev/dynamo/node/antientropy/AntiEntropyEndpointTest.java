package dev.dynamo.node.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.storage.VersionedStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A running node's last anti-entropy exchange of a partition, and its tombstones held, appear in {@code /actuator/ring}. */
class AntiEntropyEndpointTest {

    @RegisterExtension
    static final LocalNode node = LocalNode.withOperator();

    @Test
    void theRingEndpointShowsEachPartitionsLastExchange() throws Exception {
        assertThat(node.put("/kv/demo/exchanged", "x").statusCode()).isEqualTo(204);
        Ring ring = node.bean(ClusterView.class).requireRing();
        int partition = ring.partitionOf(StorageKey.of("demo", "exchanged".getBytes(StandardCharsets.UTF_8)).position());
        Member self = ring.members().getFirst();
        AntiEntropyJob job = node.bean(AntiEntropyJob.class);
        // the node is its own peer here: the exchange goes through its transport and finds equal trees
        job.exchange(partition, self, new AtomicLong(10)).get(10, TimeUnit.SECONDS);
        StorageKey deleted = StorageKey.of("demo", "deleted".getBytes(StandardCharsets.UTF_8));
        node.bean(VersionedStore.class).write(deleted, null, Content.tombstone(0), ConflictPolicy.SIBLINGS).join();
        int deletedIn = ring.partitionOf(deleted.position());

        String view = node.getAsOperator("/actuator/ring").body();

        assertThat(job.lastExchanges()).containsOnlyKeys(partition);
        assertThat(view).contains("\"partition\":" + partition + ",", "\"lastExchange\":{\"at\":\""
                + job.lastExchanges().get(partition).at() + "\",\"peer\":\"" + self.id()
                + "\",\"keysRepaired\":0,\"failed\":false}");
        assertThat(JsonPath.<List<Integer>>read(view, "$.preferenceLists[*].tombstones").stream().mapToInt(t -> t)
                .sum()).isEqualTo(1);
        assertThat(JsonPath.<List<Integer>>read(view, "$.preferenceLists[?(@.partition == " + deletedIn
                + ")].tombstones")).containsExactly(1);
    }
}
