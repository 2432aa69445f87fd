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
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.storage.MemoryStorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import dev.dynamo.node.transport.ScriptedTransport;
import dev.dynamo.node.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A hint held here for longer than the tombstone grace is dropped, not delivered: it could bring back a
 * reaped key. Its age is how long this node has held it, whatever its writes' timestamps say.
 */
class HintDeliveryJobTest {

    private static final List<Member> MEMBERS = List.of(new Member("a", "a:1", "z"), new Member("b", "b:1", "z"));
    private static final Duration GRACE = Duration.ofHours(1);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DynamoMetrics metrics = new DynamoMetrics(meters);
    private final MemoryStorageEngine engine = new MemoryStorageEngine(1 << 20);
    /** This node's wall clock and monotonic clock, which the test moves. */
    private final AtomicLong millis = new AtomicLong(NOW.toEpochMilli());
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    private final AtomicLong nanos = new AtomicLong(123_456_789);
    private final HintStore hints = new HintStore(engine, clock, nanos::get, metrics);
    private final List<Message> sent = new ArrayList<>();

    @Test
    void aHintHeldLongerThanTheGraceIsDroppedAndAFresherOneDelivered() {
        StorageKey stale = key("stale");
        StorageKey fresh = key("fresh");
        hints.store("b", stale, written(NOW), ConflictPolicy.SIBLINGS).join();
        nanos.addAndGet(GRACE.toNanos() - 1);
        hints.store("b", fresh, written(NOW), ConflictPolicy.SIBLINGS).join();
        // merged into later, the stale hint still holds its first write
        hints.store("b", stale, written("c@1", NOW.plus(GRACE)), ConflictPolicy.SIBLINGS).join();
        nanos.addAndGet(2);

        job(hints).deliverOnce().join();

        assertThat(sent).singleElement().matches(m -> m instanceof Message.ReplicaWrite w && w.key().equals(fresh));
        assertThat(hints.forOwner("b", 10)).isEmpty();
        assertThat(meters.get("dynamo.hints.expired").counter().count()).isEqualTo(1);
        assertThat(meters.get("dynamo.hints.delivered").counter().count()).isEqualTo(1);
    }

    @Test
    void theWritesTimestampsDoNotAgeAHint() {
        // stamped by a coordinator whose clock is two graces behind this node's, or ahead
        hints.store("b", key("behind"), written(NOW.minus(GRACE.multipliedBy(2))), ConflictPolicy.SIBLINGS).join();
        hints.store("b", key("ahead"), written(NOW.plus(GRACE.multipliedBy(2))), ConflictPolicy.SIBLINGS).join();

        job(hints).deliverOnce().join();
        assertThat(sent).hasSize(2);

        hints.store("b", key("ahead"), written(NOW.plus(GRACE.multipliedBy(2))), ConflictPolicy.SIBLINGS).join();
        nanos.addAndGet(GRACE.toNanos() + 1);
        job(hints).deliverOnce().join();
        assertThat(sent).as("held past the grace, whatever its timestamp").hasSize(2);
        assertThat(meters.get("dynamo.hints.expired").counter().count()).isEqualTo(1);
    }

    @Test
    void hintsFoundAfterARestartAgeFromWhenTheyWereStoredByThisNodesWallClock() {
        hints.store("b", key("old"), written(NOW), ConflictPolicy.SIBLINGS).join();
        millis.addAndGet(2);
        hints.store("b", key("young"), written(NOW), ConflictPolicy.SIBLINGS).join();
        // stored by an earlier version, which kept no time: [owner length][owner id][stored key]
        byte[] legacy = key("legacy").encode();
        byte[] legacyHint = new byte[2 + legacy.length];
        legacyHint[0] = 1;
        legacyHint[1] = 'b';
        System.arraycopy(legacy, 0, legacyHint, 2, legacy.length);
        engine.put(Namespace.HINTS, legacyHint, VersionedValueCodec.encode(written(NOW))).join();
        // restarted a grace later: a new process, whose monotonic clock starts anywhere
        millis.addAndGet(GRACE.toMillis() - 1);
        nanos.set(-5);
        HintStore restarted = new HintStore(engine, clock, nanos::get, metrics);
        // a write merged into the old hint after the restart does not make it younger
        restarted.store("b", key("old"), written("c@1", NOW.plus(GRACE)), ConflictPolicy.SIBLINGS).join();

        job(restarted).deliverOnce().join();

        assertThat(sent).singleElement().matches(m -> m instanceof Message.ReplicaWrite w
                && w.key().equals(key("young")));
        assertThat(meters.get("dynamo.hints.expired").counter().count()).isEqualTo(2);
    }

    private HintDeliveryJob job(HintStore hints) {
        ClusterView cluster = new ClusterView(MEMBERS.getFirst());
        cluster.merge(MembershipView.formed(Ring.create(8, MEMBERS)));
        Transport transport = new ScriptedTransport("a:1", request -> {
            sent.add(request);
            return CompletableFuture.completedFuture(new Message.Ack());
        });
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
        return new HintDeliveryJob(hints, cluster, new PeerCalls(transport, everyoneUp), everyoneUp, 10, GRACE,
                metrics);
    }

    private static VersionedValue written(Instant at) {
        return written("a@1", at);
    }

    private static VersionedValue written(String actor, Instant at) {
        return VersionedValue.empty().put(VersionVector.empty(), actor,
                new Content("v".getBytes(StandardCharsets.UTF_8), null, at.toEpochMilli(), false),
                ConflictPolicy.SIBLINGS);
    }

    private static StorageKey key(String name) {
        return StorageKey.of("b", name.getBytes(StandardCharsets.UTF_8));
    }
}
