package dev.dynamo.node.membership;

import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forms the cluster at first start from its seeds: the initial membership view, which gossip then
 * spreads and every node keeps.
 *
 * <p>A node that finds its own address among the seeds asks every seed who it is until all have
 * answered, then gossips once with each: if one already belongs to a cluster, that cluster exists
 * and this node follows it (serving data only if its ring lists this node). Otherwise it builds the
 * ring every seed builds alike from the same members, all UP. A node not among its seeds forms
 * nothing: it learns the cluster by gossip and waits for an operator to add it. Once the node has
 * a ring (one kept from an earlier run included), formation is over for good: membership changes
 * from then on are operators' and spread by gossip.
 */
public final class StaticClusterFormation {

    private static final Logger log = LoggerFactory.getLogger(StaticClusterFormation.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final ClusterView cluster;
    private final PeerCalls peers;
    private final Scheduler scheduler;
    private final SeedProvider seeds;
    private final int partitions;
    private final Gossiper gossiper;
    private final Map<String, Member> described = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private boolean saidNotListed;

    public StaticClusterFormation(ClusterView cluster, PeerCalls peers, Scheduler scheduler, SeedProvider seeds,
            int partitions, Gossiper gossiper) {
        this.cluster = cluster;
        this.peers = peers;
        this.scheduler = scheduler;
        this.seeds = seeds;
        this.partitions = partitions;
        this.gossiper = gossiper;
    }

    /** Keeps to the ring this node already has, or starts forming in the background. */
    public void start() {
        Ring kept = cluster.ring().orElse(null);
        if (kept == null) {
            log.info("cluster: forming from the {}", seeds);
            attempt();
        } else if (kept.partitions() != partitions) {
            log.warn("cluster: dynamo.cluster.partitions={} is ignored: the ring has {} partitions, fixed when the "
                    + "cluster formed", partitions, kept.partitions());
        }
    }

    /** Stops forming. */
    public void stop() {
        stopped = true;
    }

    private void attempt() {
        if (stopped || cluster.ring().isPresent()) {
            return;
        }
        List<String> listed;
        try {
            listed = seeds.seeds();
        } catch (RuntimeException e) {
            log.warn("cluster: cannot list the {}: {}", seeds, e.toString());
            retry();
            return;
        }
        String self = cluster.self().address();
        if (!listed.contains(self)) {
            if (!saidNotListed) {
                saidNotListed = true;
                log.warn("cluster: this node ({}) is not among its seeds {}, so it is not a member: it serves no data "
                        + "until an operator adds it through the admin API of a member; meanwhile it learns the cluster "
                        + "from the seeds", self, listed);
            }
            retry();
            return;
        }
        described.put(self, cluster.self());
        Map<String, String> missing = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> asks = new ArrayList<>();
        for (String seed : listed) {
            if (!described.containsKey(seed)) {
                asks.add(peers.callAddress(seed, new Message.Describe(), Message.Described.class).handle((d, error) -> {
                    if (error == null && d.member().address().equals(seed)) {
                        described.put(seed, d.member());
                    } else {
                        missing.put(seed, error != null ? String.valueOf(rootCause(error).getMessage()) : "answered " + d);
                    }
                    return null;
                }));
            }
        }
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (described.keySet().containsAll(listed)) {
                formUnlessFormed(listed);
            } else {
                log.info("cluster: waiting for seeds {}", new TreeMap<>(missing));
                retry();
            }
        });
    }

    /** Gossips with every other seed first: a seed that already belongs to a cluster brings it. */
    private void formUnlessFormed(List<String> listed) {
        List<CompletableFuture<Void>> exchanges = listed.stream().filter(s -> !s.equals(cluster.self().address()))
                .map(gossiper::exchange).toList();
        CompletableFuture.allOf(exchanges.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                log.info("cluster: waiting for the seeds to gossip: {}", rootCause(error).getMessage());
                retry();
            } else if (cluster.ring().isPresent()) {
                log.info("cluster: the seeds already form cluster {}; this node follows it", cluster.view().cluster());
            } else {
                form(listed);
            }
        });
    }

    private synchronized void form(List<String> listed) {
        if (cluster.ring().isPresent()) {
            return;
        }
        MembershipView formed = MembershipView.formed(Ring.create(partitions, listed.stream().map(described::get).toList()));
        gossiper.merge(formed);
        log.info("cluster {}: formed {}", formed.cluster(), formed.ring().orElseThrow());
    }

    private void retry() {
        if (!stopped) {
            scheduler.schedule(RETRY, this::attempt);
        }
    }

    private static Throwable rootCause(Throwable error) {
        return error.getCause() != null && error != error.getCause() ? rootCause(error.getCause()) : error;
    }
}
