package dev.dynamo.node.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.storage.MemoryStorageEngine;
import dev.dynamo.node.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** A hint older than the tombstone grace is dropped, not delivered: it could bring back a reaped key. */
class HintDeliveryJobTest {

    private static final List<Member> MEMBERS = List.of(new Member("a", "a:1", "z"), new Member("b", "b:1", "z"));
    private static final Duration GRACE = Duration.ofHours(1);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DynamoMetrics metrics = new DynamoMetrics(meters);
    private final HintStore hints = new HintStore(new MemoryStorageEngine(1 << 20), metrics);
    private final List<Message> sent = new ArrayList<>();

    @Test
    void aHintOlderThanTheGraceIsDroppedAndAFresherOneDelivered() {
        StorageKey stale = key("stale");
        StorageKey fresh = key("fresh");
        hints.store("b", stale, written(NOW.minus(GRACE).minusMillis(1)), ConflictPolicy.SIBLINGS).join();
        hints.store("b", fresh, written(NOW.minus(GRACE).plusMillis(1)), ConflictPolicy.SIBLINGS).join();

        job().deliverOnce().join();

        assertThat(sent).singleElement().matches(m -> m instanceof Message.ReplicaWrite w && w.key().equals(fresh));
        assertThat(hints.forOwner("b", 10)).isEmpty();
        assertThat(meters.get("dynamo.hints.expired").counter().count()).isEqualTo(1);
        assertThat(meters.get("dynamo.hints.delivered").counter().count()).isEqualTo(1);
    }

    private HintDeliveryJob job() {
        ClusterView cluster = new ClusterView(MEMBERS.getFirst());
        cluster.merge(MembershipView.formed(Ring.create(8, MEMBERS)));
        Transport transport = new Transport() {
            @Override
            public CompletableFuture<Message> request(String address, Message request, IntConsumer sizes) {
                sent.add(request);
                return CompletableFuture.completedFuture(new Message.Ack());
            }

            @Override
            public int maxMessageSize() {
                return 16 << 20;
            }

            @Override
            public Duration requestLifetime() {
                return Duration.ofSeconds(2);
            }

            @Override
            public String localAddress() {
                return "a:1";
            }

            @Override
            public void close() {
            }
        };
        FailureDetector everyoneUp = new FailureDetector() {
            @Override
            public boolean isAvailable(String id) {
                return true;
            }

            @Override
            public void succeeded(String id) {
            }

            @Override
            public void failed(String id) {
            }

            @Override
            public void heartbeat(String id, long generation) {
            }
        };
        return new HintDeliveryJob(hints, cluster, new PeerCalls(transport, everyoneUp), everyoneUp, 10, GRACE, InstantSource.fixed(NOW),
                metrics);
    }

    private static VersionedValue written(Instant at) {
        return VersionedValue.empty().put(VersionVector.empty(), "a@1",
                new Content("v".getBytes(StandardCharsets.UTF_8), null, at.toEpochMilli(), false),
                ConflictPolicy.SIBLINGS);
    }

    private static StorageKey key(String name) {
        return StorageKey.of("b", name.getBytes(StandardCharsets.UTF_8));
    }
}
