package dev.dynamo.node.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.bucket.ReplicationProperties;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.PhiAccrualFailureDetector;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.ExecutorScheduler;
import dev.dynamo.node.storage.MemoryStorageEngine;
import dev.dynamo.node.storage.ObjectLimits;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transport.ScriptedTransport;
import dev.dynamo.node.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coordinated write whose replicas answer before the coordinator has sent to all of them (on a
 * busy machine a reply can come back before the coordinator attached its callback, which then runs
 * at once): the quorum is decided only once every replica has been asked.
 */
class WriteRequestTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final List<Member> MEMBERS = List.of(new Member("a", "a:1", "z"), new Member("b", "b:1", "z"),
            new Member("c", "c:1", "z"));

    private final MemoryStorageEngine engine = new MemoryStorageEngine(1 << 20);
    private final ExecutorScheduler scheduler = new ExecutorScheduler();

    @AfterEach
    void close() {
        scheduler.close();
        engine.close();
    }

    @Test
    void repliesThatArriveWhileTheCoordinatorIsStillSendingCountTowardsW() throws Exception {
        ClusterView cluster = new ClusterView(MEMBERS.getFirst());
        cluster.merge(MembershipView.formed(Ring.create(8, MEMBERS)));
        Transport answersAtOnce = new ScriptedTransport("a:1", request -> CompletableFuture.completedFuture(new Message.Ack()));
        DynamoMetrics metrics = new DynamoMetrics(new SimpleMeterRegistry());
        PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(System::nanoTime, 8,
                Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5));
        RequestCoordinator coordinator = new RequestCoordinator(cluster,
                new BucketPolicies(new ReplicationProperties(new ReplicationProperties.Quorum(3, 2, 2, TIMEOUT, Duration.ofMillis(20)), Map.of())),
                new VersionedStore(engine, "a@1", InstantSource.system()), new HintStore(engine, InstantSource.system(), System::nanoTime, metrics),
                new PeerCalls(answersAtOnce, detector), detector, scheduler, TIMEOUT, Duration.ofMillis(20), new ObjectLimits(100, 8 << 20), metrics,
                InstantSource.system());

        VersionedValue written = coordinator.write(StorageKey.of("b", "k".getBytes(StandardCharsets.UTF_8)), null,
                new Content("v".getBytes(StandardCharsets.UTF_8), "text/plain", 0, false), 3).get(5, TimeUnit.SECONDS);

        assertThat(written.live()).hasSize(1);
    }
}
