package dev.dynamo.node.membership;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.membership.Heartbeat;
import dev.dynamo.core.membership.MemberEntry;
import dev.dynamo.core.membership.MemberStatus;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.peer.UnexpectedReplyException;
import dev.dynamo.node.scheduling.Scheduler;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the membership view by push-pull gossip and keeps this node's heartbeat going.
 *
 * <p>Every interval (the first after a random part of one, so that nodes do not gossip in step) a
 * round raises this node's heartbeat if it is an active member, notes which peers became
 * unreachable or reachable again, and exchanges views with one peer: a random member the failure
 * detector deems live, or a random seed every {@code seedEvery} rounds and whenever no member is
 * live, so that logical partitions heal and a node outside the cluster learns it. An exchange is
 * {@link Message.GossipSyn} (this node's heartbeats, and the digest of its members and ring),
 * answered by {@link Message.GossipAck} (the heartbeats this node lacks, plus the peer's members
 * and ring when the digests differ), then, only when they differed, {@link Message.GossipPush}
 * with this node's members and ring. So a steady cluster sends heartbeats only. Rounds keep a fixed
 * pace and never wait for an exchange, so a slow peer cannot hold up the heartbeat.
 *
 * <p>Everything learned, and every change made on this node (formation, operators), goes through
 * {@link #merge}: newer heartbeats of peers feed the failure detector, changed entries and rings
 * are logged and kept in the node's metadata.
 */
public final class Gossiper {

    private static final Logger log = LoggerFactory.getLogger(Gossiper.class);

    private final ClusterView cluster;
    private final PeerCalls peers;
    private final FailureDetector detector;
    private final Scheduler scheduler;
    private final Random random;
    private final SeedProvider seeds;
    private final MembershipStore store;
    private final Duration interval;
    private final int seedEvery;
    private final long generation;
    // written only by rounds, which hold this gossiper's lock; volatile for the metrics that read it
    private volatile long rounds;
    private Set<String> unreachable = Set.of();
    private volatile boolean stopped = true;

    /**
     * @param clock  gives this incarnation's heartbeat generation: the time it started
     * @param random picks peers and seeds; seeded in the simulation
     */
    public Gossiper(ClusterView cluster, PeerCalls peers, FailureDetector detector, Scheduler scheduler,
            InstantSource clock, Random random, SeedProvider seeds, MembershipStore store, GossipProperties properties) {
        this.cluster = cluster;
        this.peers = peers;
        this.detector = detector;
        this.scheduler = scheduler;
        this.random = random;
        this.seeds = seeds;
        this.store = store;
        this.interval = properties.interval();
        this.seedEvery = properties.seedEvery();
        this.generation = clock.millis();
    }

    /** Takes up the view kept in the node's metadata, if any, and starts the rounds. */
    public void start() {
        store.load().ifPresent(kept -> {
            merge(kept);
            log.info("membership: {} from this node's metadata", kept);
        });
        announceOwnAddress();
        stopped = false;
        scheduler.schedule(Duration.ofMillis(random.nextLong(interval.toMillis() + 1)), this::round);
    }

    /** How many gossip rounds this node has run since it started. */
    public long rounds() {
        return rounds;
    }

    /** Stops after the current round. */
    public void stop() {
        stopped = true;
    }

    /**
     * Merges {@code incoming} (learned from a peer, or a change made on this node) into the view.
     *
     * @return the view after it
     * @throws IllegalArgumentException when {@code incoming} is of another cluster
     */
    public MembershipView merge(MembershipView incoming) {
        ClusterView.Change change = cluster.merge(incoming);
        if (change.changed()) {
            learned(change, incoming);
        }
        return change.after();
    }

    /** Serves a peer's gossip. @throws IllegalArgumentException when it is of another cluster */
    public CompletableFuture<Message> serve(Message.GossipRequest request) {
        return CompletableFuture.completedFuture(switch (request) {
            case Message.GossipSyn syn -> answer(syn);
            case Message.GossipPush push -> accept(push);
        });
    }

    /** Serves a peer's exchange: merges its heartbeats and answers what it lacks. */
    private Message.GossipAck answer(Message.GossipSyn syn) {
        MembershipView merged = merge(syn.heartbeats());
        return new Message.GossipAck(merged.deltaFor(syn.heartbeats(), syn.digest()), merged.digest() != syn.digest());
    }

    /** Serves a peer's push. */
    private Message.Ack accept(Message.GossipPush push) {
        merge(push.view());
        return new Message.Ack();
    }

    /** One exchange with the node at {@code address}; completes once this node merged the answer and pushed what was asked. */
    public CompletableFuture<Void> exchange(String address) {
        MembershipView view = cluster.view();
        Member peer = memberAt(view, address);
        return call(peer, address, new Message.GossipSyn(view.heartbeatsOnly(), view.digest()), Message.GossipAck.class)
                .thenCompose(ack -> {
                    MembershipView now = merge(ack.delta());
                    if (!ack.pushWanted()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return call(peer, address, new Message.GossipPush(now.withoutHeartbeats()), Message.Ack.class)
                            .thenAccept(pushed -> {
                            });
                });
    }

    private synchronized void round() {
        if (stopped) {
            return;
        }
        scheduler.schedule(interval, this::round);
        long round = ++rounds;
        String self = cluster.self().id();
        if (cluster.view().isActive(self)) {
            merge(MembershipView.EMPTY.withHeartbeat(self, new Heartbeat(generation, round)));
        }
        List<Member> live = liveMembers();
        String target = target(round, live);
        if (target != null) {
            exchange(target).whenComplete((ok, error) -> {
                Throwable cause = error == null ? null : Futures.cause(error);
                if (misconfigured(cause)) {
                    log.warn("gossip with {} failed: {}", target, cause.getMessage());
                } else if (cause != null) {
                    log.debug("gossip with {} failed: {}", target, cause.toString());
                }
            });
        }
    }

    /** The active members other than this node that the failure detector deems live; logs changes of opinion. */
    private List<Member> liveMembers() {
        String self = cluster.self().id();
        MembershipView view = cluster.view();
        List<Member> live = new ArrayList<>();
        Set<String> down = new TreeSet<>();
        for (MemberEntry entry : view.members().values()) {
            if (entry.id().equals(self) || entry.status() == MemberStatus.REMOVED) {
                continue;
            }
            if (detector.isAvailable(entry.id())) {
                live.add(entry.member());
            } else {
                down.add(entry.id());
            }
        }
        down.stream().filter(id -> !unreachable.contains(id)).forEach(id -> log.info("peer {} unreachable", id));
        unreachable.stream().filter(id -> !down.contains(id) && live.stream().anyMatch(m -> m.id().equals(id)))
                .forEach(id -> log.info("peer {} reachable again", id));
        unreachable = down;
        return live;
    }

    private String target(long round, List<Member> live) {
        if (round % seedEvery == 0 || live.isEmpty()) {
            List<String> others = seedsOtherThanSelf();
            if (!others.isEmpty()) {
                return others.get(random.nextInt(others.size()));
            }
        }
        return live.isEmpty() ? null : live.get(random.nextInt(live.size())).address();
    }

    private List<String> seedsOtherThanSelf() {
        try {
            return seeds.seeds().stream().filter(s -> !s.equals(cluster.self().address())).toList();
        } catch (RuntimeException e) {
            log.warn("cannot list the seeds ({}): {}", seeds, e.toString());
            return List.of();
        }
    }

    /**
     * Another cluster's view (it refuses to merge), a peer that refused gossip as a bad request, or one
     * that answered what gossip never asks: a cluster misconfigured, worth a warning.
     */
    private static boolean misconfigured(Throwable cause) {
        return cause instanceof IllegalArgumentException || cause instanceof UnexpectedReplyException unexpected
                && unexpected.failure().map(failure -> failure.kind() == Message.Failure.Kind.BAD_REQUEST).orElse(true);
    }

    /** Sends to a peer; when it is a known member (not just a seed address), its outcome feeds the failure detector. */
    private <T extends Message> CompletableFuture<T> call(Member peer, String address, Message request,
            Class<T> expected) {
        return peer != null ? peers.call(peer, request, expected) : peers.callAddress(address, request, expected);
    }

    private static Member memberAt(MembershipView view, String address) {
        return view.members().values().stream().map(MemberEntry::member).filter(m -> m.address().equals(address))
                .findFirst().orElse(null);
    }

    /** A member that comes back at another address or zone says so itself: only it knows. */
    private void announceOwnAddress() {
        Member self = cluster.self();
        cluster.view().member(self.id()).filter(entry -> !entry.member().equals(self)).ifPresent(entry -> {
            merge(MembershipView.EMPTY.with(entry.changed(self, entry.status(), self.id())));
            log.info("membership: this node is now at {} in zone {} (was {} in {})", self.address(), self.zone(),
                    entry.member().address(), entry.member().zone());
        });
    }

    private void learned(ClusterView.Change change, MembershipView incoming) {
        MembershipView before = change.before();
        MembershipView after = change.after();
        String self = cluster.self().id();
        Map<String, Heartbeat> heartbeatsBefore = before.heartbeats();
        Map<String, Heartbeat> heartbeatsAfter = after.heartbeats();
        for (String id : incoming.heartbeats().keySet()) {
            Heartbeat now = heartbeatsAfter.get(id);
            if (!id.equals(self) && !now.equals(heartbeatsBefore.get(id))) {
                detector.heartbeat(id, now.generation());
            }
        }
        boolean durable = !before.cluster().equals(after.cluster());
        Map<String, MemberEntry> membersBefore = before.members();
        Map<String, MemberEntry> membersAfter = after.members();
        for (String id : incoming.members().keySet()) {
            MemberEntry now = membersAfter.get(id);
            if (!now.equals(membersBefore.get(id))) {
                durable = true;
                log.info("member {} at {} is {} (version {}, issued by {})", id, now.member().address(), now.status(),
                        now.version(), now.issuer());
            }
        }
        if (!after.ring().equals(before.ring())) {
            durable = true;
            log.info("cluster {}: ring {}", after.cluster(), after.ring().orElseThrow());
            if (!change.isMember()) {
                log.warn("cluster {}: this node is not a member: it serves no data until an operator adds it", after.cluster());
            }
        }
        if (!after.next().equals(before.next())) {
            durable = true;
            after.next().ifPresent(next -> log.info("cluster {}: moving to ring {}", after.cluster(), next));
        }
        if (!after.progress().equals(before.progress())) {
            durable = true;
            log.info("cluster {}: progress of the nodes through ring changes: {}", after.cluster(), after.progress());
        }
        if (change.isMember() != change.wasMember()) {
            log.info("cluster {}: this node is {} a member of the ring", after.cluster(), change.isMember() ? "now" : "no longer");
        }
        if (durable) {
            store.save(cluster);
        }
    }
}
