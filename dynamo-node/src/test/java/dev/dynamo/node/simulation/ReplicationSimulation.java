package dev.dynamo.node.simulation;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.VersionedValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One random run of a seed: 5 to 7 nodes, N=3, R=2, W=2, two to four clients writing and reading two
 * to six keys (fewer keys, more conflicts) for {@link #CHAOS} of virtual time while faults are
 * injected. Then every fault is healed, every node restarted and every hint delivered; every
 * acknowledged write must have reached W primaries, every key is read from all N primaries and
 * checked against the {@link History} oracle, and after read repair every primary must hold the
 * same state.
 */
final class ReplicationSimulation {

    static final Duration CHAOS = Duration.ofSeconds(30);

    /** What a run did, for the test's did-anything checks and the determinism check. */
    record Result(long seed, long traceHash, long events, int acknowledged, int failed, int readsOk,
            int readsFailed, long hintWrites, long hintsDelivered, int faults) {
    }

    private final SimulatedCluster cluster;
    private final History history = new History();
    private final List<String> keys;
    private final int clientCount;

    private ReplicationSimulation(long seed) {
        this.cluster = new SimulatedCluster(seed, 5 + (int) Math.floorMod(seed, 3L), 32);
        this.keys = IntStream.rangeClosed(1, 2 + cluster.random().nextInt(5)).mapToObj(i -> "k" + i).toList();
        this.clientCount = 2 + cluster.random().nextInt(3);
    }

    /** The command that replays one seed, to start every failure message with. */
    static String replay(long seed) {
        return "seed " + seed + " (replay: ./mvnw -B -o -pl dynamo-node -am test -Dtest=ReplicationSimulationTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dsimulation.seed=" + seed + " -Dsimulation.trace=true)";
    }

    /** Runs a seed. @throws AssertionError naming the seed, the replay command and what went wrong */
    static Result run(long seed) {
        ReplicationSimulation simulation = new ReplicationSimulation(seed);
        try {
            return simulation.run();
        } catch (RuntimeException e) {
            throw simulation.failure("the run threw " + e, e);
        }
    }

    private Result run() {
        int faults = chaos();
        healAndDeliverHints();
        checkHandoff();
        List<VersionedValue> finals = readEveryKey();
        checkConvergence(finals);
        return new Result(cluster.seed(), cluster.trace().hash(), cluster.trace().events(),
                history.count(History.Status.ACKNOWLEDGED), history.count(History.Status.FAILED), history.readsOk(),
                history.readsFailed(), cluster.nodes().stream().mapToLong(n -> n.disk().hintWrites()).sum(),
                cluster.nodes().stream().mapToLong(SimulatedNode::hintsDelivered).sum(), faults);
    }

    /** Clients and faults until {@link #CHAOS}, then until the clients' last requests ended; the number of faults. */
    private int chaos() {
        List<SimulatedClient> clients = IntStream.rangeClosed(1, clientCount)
                .mapToObj(i -> new SimulatedClient("c" + i, cluster, history, keys, CHAOS)).toList();
        FaultSchedule faults = new FaultSchedule(cluster, CHAOS, 2);
        clients.forEach(SimulatedClient::start);
        faults.start();
        cluster.scheduler().runUntil(CHAOS);
        Duration drain = SimulatedClient.TIMEOUT.multipliedBy(2);
        if (!cluster.scheduler().runUntil(() -> clients.stream().allMatch(SimulatedClient::done), drain)) {
            throw failure("the clients did not finish", null);
        }
        return faults.faults();
    }

    /** A clean network and fresh processes everywhere (no node still avoids another), then hints go home. */
    private void healAndDeliverHints() {
        cluster.network().calm();
        cluster.trace().record("restart every node");
        for (SimulatedNode node : cluster.nodes()) {
            if (node.isUp()) {
                node.crash();
            }
            cluster.restart(node);
        }
        if (!cluster.scheduler().runUntil(cluster::hintsDrained, Duration.ofMinutes(2))) {
            throw failure("hints still waiting after 2 minutes: " + cluster.nodes().stream()
                    .map(n -> n.id() + " holds hints for " + n.hints().owners()).toList(), null);
        }
    }

    /** Reads every key from all N primaries and checks each against the oracle. */
    private List<VersionedValue> readEveryKey() {
        List<VersionedValue> finals = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            SimulatedNode reader = cluster.nodes().get(i % cluster.nodes().size());
            VersionedValue state = cluster.await(
                    reader.coordinator().get(SimulatedCluster.key(keys.get(i)), SimulatedCluster.N), Duration.ofSeconds(10));
            finals.add(state);
            problems.addAll(history.violations(keys.get(i), state));
        }
        if (!problems.isEmpty()) {
            throw failure(String.join("\n", problems), null);
        }
        return finals;
    }

    /**
     * Once the final reads' repairs landed, every primary holds exactly what the reads returned. Reads hide
     * expired values and the store keeps them, so both are compared as they will read once every expiring
     * write has expired (an hour on).
     */
    private void checkConvergence(List<VersionedValue> finals) {
        cluster.scheduler().runFor(Duration.ofSeconds(5));
        long later = cluster.scheduler().instant().plus(Duration.ofHours(1)).toEpochMilli();
        for (int i = 0; i < keys.size(); i++) {
            StorageKey key = SimulatedCluster.key(keys.get(i));
            for (SimulatedNode primary : cluster.primaries(key)) {
                if (!primary.stored(key).unexpired(later).equals(finals.get(i).unexpired(later))) {
                    throw failure("after read repair primary " + primary.id() + " holds " + primary.stored(key)
                            + " of " + keys.get(i) + ", not the merged " + finals.get(i), null);
                }
            }
        }
    }

    /**
     * W acknowledgements mean W durable copies, on primaries or as hints for distinct primaries; so
     * once hints are home, at least W primaries have seen every acknowledged write (hold it, or
     * something that superseded it). Checked before any final read, so read repair cannot help.
     */
    private void checkHandoff() {
        for (History.Write write : history.acknowledged()) {
            List<String> seen = cluster.primaries(SimulatedCluster.key(write.key)).stream()
                    .filter(p -> p.stored(SimulatedCluster.key(write.key)).clock().covers(write.dot))
                    .map(SimulatedNode::id).toList();
            if (seen.size() < SimulatedCluster.W) {
                throw failure("acknowledged write " + write.value + " (" + write.dot + ") of " + write.key
                        + " reached only " + seen + " of its primaries after hint delivery", null);
            }
        }
    }

    private AssertionError failure(String problem, Throwable cause) {
        return new AssertionError(replay(cluster.seed()) + ": " + problem + "\nlast events at "
                + cluster.scheduler().elapsed().toMillis() + "ms:\n" + cluster.trace().tail(), cause);
    }
}
