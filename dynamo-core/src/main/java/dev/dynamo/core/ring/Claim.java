package dev.dynamo.core.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Who owns which partition: a pure, deterministic function of the current owners and the members.
 *
 * <p>Dynamo's strategy 3 (DeCandia et al. 2007, section 6.2): Q equal partitions, each member owning
 * Q/S of them. Like riak_core's claim (read for ideas, not copied), a change moves only what balance
 * requires: every member ends with floor(Q/S) or ceil(Q/S) partitions; partitions leave only members
 * above their target or members that left, and go only to members below theirs. Which partition a
 * taker gets is chosen to keep the owners of consecutive partitions distinct (so a preference-list
 * walk finds N distinct nodes within about N partitions) and to spread a taker's partitions evenly.
 * After a leave, moving only the leaver's partitions can make distinct neighbours impossible (four
 * members round robin, one leaves: every freed slot sits beside two of the three others); the
 * preference walk still skips repeats, so this costs walk length, never replica distinctness.
 */
public final class Claim {

    /** Partitions within this distance of each other should have distinct owners: a typical N. */
    static final int TARGET_N = 3;

    private Claim() {
    }

    /**
     * The new owner of each partition; {@code currentOwners} null means a first claim, and an owner
     * not among {@code members} (a member that left) frees its partition.
     */
    public static List<String> rebalance(int partitions, List<String> currentOwners, List<Member> members) {
        Ring.checkPartitions(partitions);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one member");
        }
        if (currentOwners == null) {
            return initial(partitions, members);
        }
        if (currentOwners.size() != partitions) {
            throw new IllegalArgumentException(
                    "expected " + partitions + " owners, got " + currentOwners.size());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            index.put(members.get(i).id(), i);
        }
        int[] owner = new int[partitions];
        int[] count = new int[members.size()];
        for (int p = 0; p < partitions; p++) {
            owner[p] = index.getOrDefault(currentOwners.get(p), -1);
            if (owner[p] >= 0) {
                count[owner[p]]++;
            }
        }
        int[] target = targets(partitions, count);
        int[][] distance = new int[count.length][];
        for (int m = 0; m < count.length; m++) {
            distance[m] = count[m] < target[m] ? distances(owner, m) : null;
        }
        // One global greedy step per moved partition: the best (taker, partition) pair over all takers.
        for (long best = bestMove(owner, count, target, distance); best >= 0;
                best = bestMove(owner, count, target, distance)) {
            int taker = (int) (best >>> 32);
            int p = (int) best;
            if (owner[p] >= 0) {
                count[owner[p]]--;
            }
            owner[p] = taker;
            count[taker]++;
            for (int q = 0; q < partitions; q++) {
                distance[taker][q] = Math.min(distance[taker][q], ringDistance(p, q, partitions));
            }
        }
        return Arrays.stream(owner).mapToObj(m -> members.get(m).id()).toList();
    }

    /** Round robin over members interleaved by zone: balanced, and neighbours differ in member and zone. */
    private static List<String> initial(int partitions, List<Member> members) {
        Map<String, List<Member>> byZone = new java.util.TreeMap<>();
        members.forEach(m -> byZone.computeIfAbsent(m.zone(), z -> new ArrayList<>()).add(m));
        List<Member> order = new ArrayList<>();
        for (int round = 0; order.size() < members.size(); round++) {
            for (List<Member> zone : byZone.values()) {
                if (round < zone.size()) {
                    order.add(zone.get(round));
                }
            }
        }
        return IntStream.range(0, partitions).mapToObj(p -> order.get(p % order.size()).id()).toList();
    }

    /** floor(Q/S) each, plus one for the Q mod S members already holding most, so they keep it. */
    private static int[] targets(int partitions, int[] count) {
        int members = count.length;
        int[] target = new int[members];
        Arrays.fill(target, partitions / members);
        IntStream.range(0, members).boxed()
                .sorted(Comparator.comparingInt((Integer m) -> -count[m]).thenComparing(m -> m))
                .limit(partitions % members)
                .forEach(m -> target[m]++);
        return target;
    }

    /**
     * The next move as {@code taker << 32 | partition}, or -1 when every member has its target.
     * Candidates are free partitions and those of members above target. Preferred, in order: fewest
     * of the taker's partitions nearby (a neighbour at distance 1 outweighs any number at distance
     * 2, and so on up to TARGET_N - 1), farthest from the taker's others (even spread), free before
     * taken, from the most loaded owner, to the least loaded taker, lowest member then partition.
     */
    private static long bestMove(int[] owner, int[] count, int[] target, int[][] distance) {
        int q = owner.length;
        long best = -1;
        long bestScore = Long.MIN_VALUE;
        for (int taker = 0; taker < count.length; taker++) {
            if (count[taker] >= target[taker]) {
                continue;
            }
            for (int p = 0; p < q; p++) {
                int from = owner[p];
                if (from == taker || (from >= 0 && count[from] <= target[from])) {
                    continue;
                }
                long crowding = 0;
                for (int d = 1; d < TARGET_N && d < q; d++) {
                    int hits = (owner[(p + d) % q] == taker ? 1 : 0) + (owner[(p - d + q) % q] == taker ? 1 : 0);
                    crowding += (long) hits << (2 * (TARGET_N - 1 - d));
                }
                long surplus = from < 0 ? q : count[from] - target[from];
                long deficit = target[taker] - count[taker];
                // Lexicographic score in one long: each field below fits 18 bits (Q <= 2^16).
                long score = (-crowding << 54) + ((long) distance[taker][p] << 36) + (surplus << 18) + deficit;
                if (score > bestScore) {
                    bestScore = score;
                    best = (long) taker << 32 | p;
                }
            }
        }
        return best;
    }

    /** Ring distance from each partition to the nearest one the taker owns: two linear sweeps. */
    private static int[] distances(int[] owner, int taker) {
        int q = owner.length;
        int[] distance = new int[q];
        Arrays.fill(distance, q);
        for (int i = 0, last = -1; i < 2 * q; i++) {
            last = owner[i % q] == taker ? i : last;
            if (last >= 0) {
                distance[i % q] = Math.min(distance[i % q], i - last);
            }
        }
        for (int i = 2 * q - 1, last = -1; i >= 0; i--) {
            last = owner[i % q] == taker ? i : last;
            if (last >= 0) {
                distance[i % q] = Math.min(distance[i % q], last - i);
            }
        }
        return distance;
    }

    private static int ringDistance(int a, int b, int q) {
        int d = Math.abs(a - b);
        return Math.min(d, q - d);
    }
}
