package dev.dynamo.node.it.nemesis;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** One fault the nemesis injects for a while and then heals. */
sealed interface Fault {

    /** How the fault appears in the printed event list. */
    String describe();

    /**
     * The groups of nodes whose availability is reported apart while the fault lasts: the sides of a
     * partition, the paused or killed node and the rest, or every node together.
     */
    List<Set<Integer>> sides(int size);

    /**
     * Nodes cut from each other: node {@code i} drops all it receives from {@code blocked.get(i)}.
     * {@code shape} names it (isolate, split, bridge, ring); {@code sides} are the groups reported.
     */
    record Partition(String shape, List<Set<Integer>> blocked, List<Set<Integer>> sides) implements Fault {
        @Override
        public String describe() {
            return "partition " + shape + " " + sides.stream().map(Fault::names).collect(Collectors.joining(" | "));
        }

        @Override
        public List<Set<Integer>> sides(int size) {
            return sides;
        }
    }

    /** Every node drops a random share {@code probability} of the packets it receives from other nodes. */
    record Loss(double probability) implements Fault {
        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "loss %.0f%% between nodes", probability * 100);
        }

        @Override
        public List<Set<Integer>> sides(int size) {
            return List.of(all(size));
        }
    }

    /**
     * The {@link InternodeProxy} holds back what nodes send to or from {@code nodes} (all of them, or
     * one slow node) by {@code millis} plus up to {@code jitterMillis}, drawn per chunk read.
     */
    record Delay(long millis, long jitterMillis, Set<Integer> nodes) implements Fault {
        @Override
        public String describe() {
            String links = nodes.size() == 1 ? "on " + name(nodes.iterator().next()) + "'s links" : "between nodes";
            return "delay " + millis + "-" + (millis + jitterMillis) + " ms " + links;
        }

        @Override
        public List<Set<Integer>> sides(int size) {
            return nodes.size() == size ? List.of(nodes) : List.of(nodes, others(size, nodes));
        }

        /** Whether traffic from node {@code from} to node {@code to} is delayed. */
        boolean covers(int from, int to) {
            return nodes.contains(from) || nodes.contains(to);
        }
    }

    /**
     * Something done to one node's JVM: {@code PAUSE} stops it with SIGSTOP and continues it with
     * SIGCONT; {@code KILL} kills it with SIGKILL and restarts it on the same data when the fault ends.
     */
    record NodeFault(Action action, int node) implements Fault {
        enum Action { PAUSE, KILL }

        @Override
        public String describe() {
            return action.name().toLowerCase(java.util.Locale.ROOT) + " " + name(node);
        }

        @Override
        public List<Set<Integer>> sides(int size) {
            return apart(node, size);
        }
    }

    /**
     * One node's wall clock set {@code offsetSeconds} ahead (or behind, when negative) of the others,
     * without a restart (through libfaketime); its monotonic clock is left alone. Healing sets it back.
     */
    record Skew(int node, long offsetSeconds) implements Fault {
        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "skew %s %+ds", name(node), offsetSeconds);
        }

        @Override
        public List<Set<Integer>> sides(int size) {
            return apart(node, size);
        }
    }

    /** One node, and the rest. */
    static List<Set<Integer>> apart(int node, int size) {
        Set<Integer> rest = all(size).stream().filter(i -> i != node).collect(Collectors.toUnmodifiableSet());
        return List.of(Set.of(node), rest);
    }

    static String name(int node) {
        return "n" + (node + 1);
    }

    static String names(Set<Integer> nodes) {
        return nodes.stream().sorted().map(Fault::name).collect(Collectors.joining(",", "{", "}"));
    }

    static Set<Integer> all(int size) {
        return java.util.stream.IntStream.range(0, size).boxed().collect(Collectors.toUnmodifiableSet());
    }

    static Set<Integer> others(int size, Set<Integer> nodes) {
        return all(size).stream().filter(i -> !nodes.contains(i)).collect(Collectors.toUnmodifiableSet());
    }
}
