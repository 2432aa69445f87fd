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
        // Largest deficit first; with one newcomer or one leaver this order hardly matters.
        List<Integer> takers = IntStream.range(0, count.length).boxed()
                .sorted(Comparator.comparingInt((Integer m) -> count[m] - target[m]).thenComparing(m -> m))
                .toList();
        for (int taker : takers) {
            int[] distance = distances(owner, taker);
            while (count[taker] < target[taker]) {
                int p = best(owner, count, target, distance, taker);
                if (owner[p] >= 0) {
                    count[owner[p]]--;
                }
                owner[p] = taker;
                count[taker]++;
                for (int q = 0; q < partitions; q++) {
                    distance[q] = Math.min(distance[q], ringDistance(p, q, partitions));
                }
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
     * The partition a taker should get next: among free partitions and those of members above
     * target, the one with fewest of the taker's partitions within TARGET_N - 1 either side, then
     * farthest from the taker's others, then free before taken, then from the most loaded owner.
     */
    private static int best(int[] owner, int[] count, int[] target, int[] distance, int taker) {
        int q = owner.length;
        int best = -1;
        long bestScore = Long.MIN_VALUE;
        for (int p = 0; p < q; p++) {
            int from = owner[p];
            if (from == taker || (from >= 0 && count[from] <= target[from])) {
                continue;
            }
            int crowding = 0;
            for (int d = 1; d < TARGET_N && d < q; d++) {
                crowding += (owner[(p + d) % q] == taker ? 1 : 0) + (owner[(p - d + q) % q] == taker ? 1 : 0);
            }
            long surplus = from < 0 ? q : count[from] - target[from];
            // Lexicographic score packed in one long: crowding, distance, surplus (each < 2^17).
            long score = (-(long) crowding << 40) + ((long) distance[p] << 20) + surplus;
            if (score > bestScore) {
                bestScore = score;
                best = p;
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
