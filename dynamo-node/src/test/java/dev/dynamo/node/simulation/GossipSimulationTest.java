package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.membership.MemberEntry;
import dev.dynamo.core.membership.MemberStatus;
import dev.dynamo.core.membership.MembershipView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of simulated nodes running the real gossiper on the in-memory network: one membership
 * change made at one node reaches every node in a number of rounds that grows like log N.
 *
 * <p>After a warm-up in which every node hears every heartbeat, an operator's change (node1 asks
 * the last node to leave) is merged at node1 alone; the run counts the rounds until every node's
 * view has it. The printed table gives, per size, those rounds and the bytes each node sent per
 * round (requests and replies, encoded as on the wire): in a steady cluster (heartbeats only) and
 * while the change spread (members and ring travel between nodes whose digests differ). It takes
 * some 10 seconds; reproduce it with
 * {@code ./mvnw -B -o -q -pl dynamo-node -am test -Dtest=GossipSimulationTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (and {@code -Dsimulation.seed=S} for another seed than 1).
 */
class GossipSimulationTest {

    private static final int[] SIZES = {64, 128, 256, 512};
    private static final int PARTITIONS = 1024;
    private static final Duration INTERVAL = SimulatedNode.GOSSIP.interval();
    /** Long enough for every node to have heard every heartbeat (about log N rounds). */
    private static final Duration WARM_UP = INTERVAL.multipliedBy(8);
    /** The warm-up's last rounds, whose traffic is the steady cluster's. */
    private static final Duration STEADY = INTERVAL.multipliedBy(3);
    /** Rounds allowed per log2(N): push-pull needs about log3(N) + O(log log N) (Karp et al. 2000). */
    private static final double C = 1.0;

    /** What one run measured. */
    record Spread(int nodes, int rounds, long steadyBytes, long spreadingBytes) {
    }

    @Test
    void aMembershipChangeReachesEveryNodeInRoundsThatGrowLikeLogN() {
        long seed = Long.getLong("simulation.seed", 1);
        List<Spread> runs = new ArrayList<>();
        for (int size : SIZES) {
            runs.add(spread(seed, size));
        }
        System.out.printf("gossip, seed %d: one membership change, rounds until every node has it (interval %d ms, "
                + "push-pull, a seed every %d rounds)%n", seed, INTERVAL.toMillis(), SimulatedNode.GOSSIP.seedEvery());
        System.out.println("| nodes | log2 N | rounds | bytes per node per round, steady | while the change spreads |");
        System.out.println("|---|---|---|---|---|");
        runs.forEach(r -> System.out.printf("| %d | %d | %d | %d | %d |%n", r.nodes(), log2(r.nodes()), r.rounds(),
                r.steadyBytes(), r.spreadingBytes()));
        for (Spread run : runs) {
            assertThat(run.rounds()).as("seed %d, %d nodes: rounds until every node had the change", seed, run.nodes())
                    .isLessThanOrEqualTo((int) Math.ceil(C * log2(run.nodes())));
        }
    }

    private static Spread spread(long seed, int size) {
        SimulatedCluster cluster = new SimulatedCluster(seed, size, PARTITIONS);
        SimulatedScheduler scheduler = cluster.scheduler();
        scheduler.runFor(WARM_UP.minus(STEADY));
        long steadyFrom = cluster.network().bytesSent();
        scheduler.runFor(STEADY);
        long steadyBytes = (cluster.network().bytesSent() - steadyFrom) / size / (STEADY.toNanos() / INTERVAL.toNanos());

        SimulatedNode issuer = cluster.node(1);
        SimulatedNode leaver = cluster.node(size);
        MemberEntry change = issuer.cluster().view().member(leaver.id()).orElseThrow()
                .changed(leaver.member(), MemberStatus.LEAVING, issuer.id());
        long spreadingFrom = cluster.network().bytesSent();
        Duration start = scheduler.elapsed();
        issuer.gossiper().merge(MembershipView.EMPTY.with(change));

        List<SimulatedNode> waiting = new ArrayList<>(cluster.nodes());
        Duration limit = INTERVAL.multipliedBy(4L * log2(size));
        while (!waiting.isEmpty()) {
            assertThat(scheduler.elapsed().minus(start)).as("seed %d, %d nodes: %d still without the change after %s",
                    seed, size, waiting.size(), limit).isLessThan(limit);
            scheduler.runFor(Duration.ofMillis(10));
            waiting.removeIf(node -> change.equals(node.cluster().view().member(leaver.id()).orElseThrow()));
        }
        Duration took = scheduler.elapsed().minus(start);
        int rounds = (int) Math.ceil((double) took.toNanos() / INTERVAL.toNanos());
        return new Spread(size, rounds, steadyBytes, (cluster.network().bytesSent() - spreadingFrom) / size / rounds);
    }

    private static int log2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }
}
