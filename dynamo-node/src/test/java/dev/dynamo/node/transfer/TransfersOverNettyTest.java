package dev.dynamo.node.transfer;

import static dev.dynamo.core.version.ConflictPolicy.SIBLINGS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.PhiAccrualFailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.ExecutorScheduler;
import dev.dynamo.node.storage.MemoryStorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transport.ClientLimits;
import dev.dynamo.node.transport.NettyTransport;
import dev.dynamo.node.transport.TransportProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The production pieces on real threads: two Netty transports on loopback, the executor scheduler,
 * in-memory engines, and live writes racing the transfer on another thread.
 */
class TransfersOverNettyTest {

    private static final PartitionRange RANGE = new PartitionRange(4, 1);
    private static final InstantSource STAMPS = InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));
    private static final TransportProperties TRANSPORT = new TransportProperties("127.0.0.1", 0,
            Duration.ofSeconds(5), Duration.ofSeconds(1), 64, DataSize.ofMegabytes(16), 2);
    private static final TransferProperties TRANSFER = new TransferProperties(DataSize.ofMegabytes(2), 2, 200,
            DataSize.ofKilobytes(64), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO,
            Duration.ofSeconds(30));

    private final MemoryStorageEngine sourceEngine = new MemoryStorageEngine(256L << 20);
    private final MemoryStorageEngine receiverEngine = new MemoryStorageEngine(256L << 20);
    private final ExecutorScheduler scheduler = new ExecutorScheduler();
    private static final byte[] PEER_KEY = "transfers-over-netty-test".getBytes(StandardCharsets.UTF_8);
    private final NettyTransport sourceTransport = new NettyTransport(TRANSPORT, ClientLimits.DEFAULTS, PEER_KEY);
    private final NettyTransport receiverTransport = new NettyTransport(TRANSPORT, ClientLimits.DEFAULTS, PEER_KEY);
    private final PartitionSource source = new PartitionSource(sourceEngine, scheduler, sourceTransport.maxMessageSize());
    private final VersionedStore receiverStore = new VersionedStore(receiverEngine, "receiver@1", STAMPS);
    private Member sourceMember;

    @AfterEach
    void close() {
        receiverTransport.close();
        sourceTransport.close();
        scheduler.close();
        sourceEngine.close();
        receiverEngine.close();
    }

    @Test
    void aPartitionStreamsOverTheNetworkWhileLiveWritesRaceIt() throws Exception {
        Transfers transfers = receiverPullingFromSource();
        Random random = new Random(7);
        Map<StorageKey, VersionedValue> atSource = fillSource(random, 3_000);
        List<StorageKey> keys = new ArrayList<>(atSource.keySet());
        transfers.resume();

        CompletableFuture<Void> done = transfers.start(RANGE.partition(), sourceMember);
        Map<StorageKey, VersionedValue> written = new HashMap<>();
        Content stamped = new Content("live".getBytes(StandardCharsets.UTF_8), "text/plain", STAMPS.millis(), false);
        int writes = 0;
        while (!done.isDone() || writes < 200) {
            StorageKey key = keys.get(random.nextInt(keys.size()));
            VersionVector context = random.nextBoolean() ? VersionVector.empty() : atSource.get(key).clock();
            receiverStore.write(key, context, stamped, SIBLINGS).get(5, TimeUnit.SECONDS);
            written.put(key, written.getOrDefault(key, VersionedValue.empty())
                    .put(context, "receiver@1", stamped, SIBLINGS));
            writes++;
        }
        done.get(30, TimeUnit.SECONDS);

        assertThat(transfers.isComplete(RANGE.partition())).isTrue();
        assertThat(source.entriesServed()).isEqualTo(3_000);
        for (StorageKey key : keys) {
            assertThat(receiverStore.read(key)).as("%s", key)
                    .isEqualTo(atSource.get(key).merge(written.getOrDefault(key, VersionedValue.empty()), SIBLINGS));
        }
    }

    @Test
    void entriesThatCannotMoveAreSkippedAndReportedAndTheRestArrives() throws Exception {
        Transfers transfers = receiverPullingFromSource();
        Map<StorageKey, VersionedValue> atSource = fillSource(new Random(11), 300);
        // stored before any limit or under a larger frame limit: larger than a message can carry
        StorageKey tooLarge = keyInRange("too-large");
        sourceEngine.put(Namespace.DATA, tooLarge.encode(), new byte[(int) TRANSPORT.maxFrameSize().toBytes()]).join();
        StorageKey unreadable = keyInRange("unreadable");
        sourceEngine.put(Namespace.DATA, unreadable.encode(), new byte[] {(byte) 0xff, 1, 2}).join();
        transfers.resume();

        transfers.start(RANGE.partition(), sourceMember).get(30, TimeUnit.SECONDS);

        assertThat(transfers.isComplete(RANGE.partition())).as("the ring change is not stalled").isTrue();
        atSource.forEach((key, state) -> assertThat(receiverStore.read(key)).as("%s", key).isEqualTo(state));
        assertThat(receiverStore.read(tooLarge).isAbsent()).isTrue();
        assertThat(receiverStore.read(unreadable).isAbsent()).isTrue();
        assertThat(transfers.progress()).singleElement().satisfies(progress -> {
            assertThat(progress.skipped()).isEqualTo(2);
            assertThat(progress.lastSkipped()).isNotNull();
        });
    }

    /** Starts the source serving pulls over its transport; the receiver's transfers, which pull over their own. */
    private Transfers receiverPullingFromSource() {
        sourceTransport.start(request -> source.serve((Message.PartitionRead) request));
        sourceMember = new Member("source", sourceTransport.localAddress(), "z");
        Member receiverMember = new Member("receiver", "127.0.0.1:1", "z");
        ClusterView cluster = new ClusterView(receiverMember);
        cluster.merge(MembershipView.formed(Ring.create(RANGE.partitions(), List.of(sourceMember, receiverMember))));
        return new Transfers(cluster, receiverEngine, receiverStore, bucket -> SIBLINGS,
                new PeerCalls(receiverTransport, new PhiAccrualFailureDetector(System::nanoTime, 8,
                        Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5))),
                scheduler, InstantSource.system(), TRANSFER,
                new AdmissionControl("transfers", TRANSFER.maxForegroundLatency(), () -> Duration.ZERO));
    }

    private static StorageKey keyInRange(String prefix) {
        for (int i = 0; ; i++) {
            StorageKey key = StorageKey.of("b", (prefix + i).getBytes(StandardCharsets.UTF_8));
            if (RANGE.contains(key.position())) {
                return key;
            }
        }
    }

    private Map<StorageKey, VersionedValue> fillSource(Random random, int count) {
        VersionedStore store = new VersionedStore(sourceEngine, "unused@1", STAMPS);
        Map<StorageKey, VersionedValue> states = new HashMap<>();
        for (int i = 0; states.size() < count; i++) {
            StorageKey key = StorageKey.of("b", ("k" + i).getBytes(StandardCharsets.UTF_8));
            if (RANGE.contains(key.position())) {
                byte[] value = new byte[50 + random.nextInt(100)];
                random.nextBytes(value);
                VersionedValue state = VersionedValue.empty().put(VersionVector.empty(), "a@1",
                        new Content(value, null, 1, false), SIBLINGS);
                if (random.nextBoolean()) {
                    state = state.put(VersionVector.empty(), "b@1", Content.tombstone(2), SIBLINGS);
                }
                store.merge(key, state, SIBLINGS).join();
                states.put(key, state);
            }
        }
        return states;
    }
}
