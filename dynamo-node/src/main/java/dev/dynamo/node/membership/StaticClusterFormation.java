package dev.dynamo.node.membership;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingCodec;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import dev.dynamo.node.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forms the ring of a cluster given as a static list of seeds, each node's internode address: asks
 * every seed who it is until all have answered, then builds the ring every node builds alike from
 * the same members, and keeps it in the node's metadata so a restart needs no other node. With no
 * seeds the node is a cluster of one. Gossiped membership replaces this path.
 */
public final class StaticClusterFormation {

    private static final Logger log = LoggerFactory.getLogger(StaticClusterFormation.class);
    private static final byte[] RING_KEY = "ring".getBytes(StandardCharsets.UTF_8);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final ClusterView cluster;
    private final Transport transport;
    private final StorageEngine engine;
    private final Scheduler scheduler;
    private final Set<String> seeds;
    private final int partitions;
    private final Map<String, Member> described = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public StaticClusterFormation(ClusterView cluster, Transport transport, StorageEngine engine, Scheduler scheduler,
            List<String> seeds, int partitions) {
        this.cluster = cluster;
        this.transport = transport;
        this.engine = engine;
        this.scheduler = scheduler;
        this.seeds = seeds.stream().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        this.partitions = partitions;
    }

    /** Installs the kept ring, or starts asking the seeds in the background. */
    public void start() {
        Ring kept = kept();
        if (kept != null && kept.partitions() == partitions && addresses(kept).equals(seedsOrSelf())) {
            cluster.install(kept);
            log.info("cluster: {} from this node's metadata", kept);
            return;
        }
        if (!seedsOrSelf().contains(cluster.self().address())) {
            log.warn("cluster: this node ({}) is not in dynamo.cluster.seeds {}; it waits to be joined",
                    cluster.self().address(), seeds);
            return;
        }
        described.put(cluster.self().address(), cluster.self());
        attempt();
    }

    /** Stops asking the seeds. */
    public void stop() {
        stopped = true;
    }

    private void attempt() {
        if (stopped || cluster.ring().isPresent()) {
            return;
        }
        Map<String, String> missing = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> asks = new ArrayList<>();
        for (String seed : seeds) {
            if (!described.containsKey(seed)) {
                asks.add(transport.request(seed, new Message.Describe()).handle((reply, error) -> {
                    if (reply instanceof Message.Described d && d.member().address().equals(seed)) {
                        described.put(seed, d.member());
                    } else {
                        missing.put(seed, error != null ? String.valueOf(rootCause(error).getMessage()) : "answered " + reply);
                    }
                    return null;
                }));
            }
        }
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (described.keySet().containsAll(seeds)) {
                form();
            } else {
                log.info("cluster: waiting for seeds {}", new TreeMap<>(missing));
                scheduler.schedule(RETRY, this::attempt);
            }
        });
    }

    private synchronized void form() {
        if (cluster.ring().isPresent()) {
            return;
        }
        Ring ring = Ring.create(partitions, List.copyOf(described.values()));
        engine.put(Namespace.META, RING_KEY, RingCodec.encode(ring)).join();
        cluster.install(ring);
        log.info("cluster: formed {}", ring);
    }

    private static Throwable rootCause(Throwable error) {
        return error.getCause() != null && error != error.getCause() ? rootCause(error.getCause()) : error;
    }

    private Set<String> seedsOrSelf() {
        return seeds.isEmpty() ? Set.of(cluster.self().address()) : seeds;
    }

    private Ring kept() {
        byte[] bytes = engine.get(Namespace.META, RING_KEY);
        return bytes == null ? null : RingCodec.decode(bytes);
    }

    private static Set<String> addresses(Ring ring) {
        return ring.members().stream().map(Member::address).collect(Collectors.toCollection(TreeSet::new));
    }
}
