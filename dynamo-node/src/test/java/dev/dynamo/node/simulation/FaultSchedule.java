package dev.dynamo.node.simulation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Injects one fault every little while until its time is over: crashes and restarts, partitions
 * and heals, message drop rates and delay ranges, all drawn from the run's seeded random. At most
 * {@code maxDown} nodes are down at once, so that some writes can still reach W; the first fault
 * is always a crash, so that every run exercises hinted handoff.
 */
final class FaultSchedule {

    private static final double[] DROP_RATES = {0, 0, 0.01, 0.05, 0.2};
    /** Message delay ranges: a quiet LAN, a busy one, and links slow enough to hit the timeouts. */
    private static final long[][] DELAYS_MICROS = {{200, 5_000}, {1_000, 50_000}, {5_000, 400_000}};

    private final SimulatedCluster cluster;
    private final Duration until;
    private final int maxDown;
    private final Random random;
    private int faults;

    FaultSchedule(SimulatedCluster cluster, Duration until, int maxDown) {
        this.cluster = cluster;
        this.until = until;
        this.maxDown = maxDown;
        this.random = cluster.random();
    }

    void start() {
        cluster.scheduler().schedule(Duration.ofMillis(500 + random.nextInt(2000)), () -> {
            faults++;
            crash();
            later();
        });
    }

    int faults() {
        return faults;
    }

    private void next() {
        if (cluster.scheduler().elapsed().compareTo(until) >= 0) {
            return;
        }
        faults++;
        switch (random.nextInt(6)) {
            case 0, 1 -> crash();
            case 2 -> restart();
            case 3 -> partition();
            case 4 -> cluster.network().heal();
            default -> {
                if (random.nextBoolean()) {
                    cluster.network().dropProbability(DROP_RATES[random.nextInt(DROP_RATES.length)]);
                } else {
                    setDelays(DELAYS_MICROS[random.nextInt(DELAYS_MICROS.length)]);
                }
            }
        }
        later();
    }

    private void later() {
        cluster.scheduler().schedule(Duration.ofMillis(200 + random.nextInt(1800)), this::next);
    }

    private void crash() {
        List<SimulatedNode> up = cluster.nodes().stream().filter(SimulatedNode::isUp).toList();
        if (cluster.nodes().size() - up.size() < maxDown) {
            up.get(random.nextInt(up.size())).crash();
        }
    }

    private void restart() {
        List<SimulatedNode> down = cluster.nodes().stream().filter(n -> !n.isUp()).toList();
        if (!down.isEmpty()) {
            cluster.restart(down.get(random.nextInt(down.size())));
        }
    }

    /** Cuts off a random minority from the rest. */
    private void partition() {
        List<String> addresses = new ArrayList<>(cluster.nodes().stream().map(n -> n.member().address()).toList());
        Set<String> minority = new TreeSet<>();
        int size = 1 + random.nextInt(addresses.size() / 2);
        while (minority.size() < size) {
            minority.add(addresses.get(random.nextInt(addresses.size())));
        }
        cluster.network().partition(List.of(minority));
    }

    private void setDelays(long[] range) {
        cluster.network().delays(Duration.ofNanos(range[0] * 1000), Duration.ofNanos(range[1] * 1000));
    }
}
