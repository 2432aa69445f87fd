package dev.dynamo.node.it.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A fault schedule drawn from a seed: faults one after another, each for a while, with a quiet gap
 * before each. The same seed and size always give the same list, so a failing schedule replays from
 * its seed (its events are printed too).
 */
record FaultSchedule(long seed, List<Event> events) {

    /** Fault {@code fault} from {@code atMillis} (after the schedule starts) for {@code forMillis}. */
    record Event(long atMillis, long forMillis, Fault fault) {
        @Override
        public String toString() {
            return String.format("t=%5.1fs for %4.1fs: %s", atMillis / 1000.0, forMillis / 1000.0, fault.describe());
        }
    }

    private static final long MIN_GAP = 1_000;
    private static final long MAX_GAP = 3_000;
    private static final long MIN_FAULT = 3_000;
    private static final long MAX_FAULT = 8_000;
    /** Seconds a skewed clock is off: more than the tombstone grace and hint expiry, and than a write takes. */
    private static final long MIN_SKEW = 10;
    private static final long MAX_SKEW = 60;

    /** Faults for about {@code windowMillis} over {@code size} nodes. */
    static FaultSchedule draw(long seed, int size, long windowMillis) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Event> events = new ArrayList<>();
        long at = 0;
        while (true) {
            at += random.nextLong(MIN_GAP, MAX_GAP + 1);
            long length = random.nextLong(MIN_FAULT, MAX_FAULT + 1);
            if (at + length > windowMillis) {
                return new FaultSchedule(seed, List.copyOf(events));
            }
            events.add(new Event(at, length, fault(random, size)));
            at += length;
        }
    }

    private static Fault fault(SplittableRandom random, int size) {
        List<Integer> order = shuffled(random, size);
        return switch (random.nextInt(9)) {
            case 0 -> partition("isolate", List.of(Set.of(order.get(0)), rest(order, 1)), size);
            case 1 -> partition("split", List.of(Set.copyOf(order.subList(0, size / 2)), rest(order, size / 2)), size);
            case 2 -> bridge(order, size);
            case 3 -> ring(order, size);
            case 4 -> new Fault.Loss(0.1 + random.nextInt(4) * 0.1);
            case 5 -> new Fault.NodeFault(Fault.NodeFault.Action.PAUSE, order.get(0));
            case 8 -> new Fault.Skew(order.get(0),
                    (random.nextBoolean() ? 1 : -1) * random.nextLong(MIN_SKEW, MAX_SKEW + 1));
            default -> new Fault.NodeFault(Fault.NodeFault.Action.KILL, order.get(0));
        };
    }

    /** The sides cannot reach each other; within a side all is well. */
    private static Fault partition(String shape, List<Set<Integer>> sides, int size) {
        List<Set<Integer>> blocked = IntStream.range(0, size).mapToObj(i -> sides.stream()
                .filter(side -> !side.contains(i)).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet()))
                .toList();
        return new Fault.Partition(shape, blocked, sides);
    }

    /** Two sides that cannot reach each other, and one node (the bridge) that reaches both. */
    private static Fault bridge(List<Integer> order, int size) {
        int bridge = order.get(0);
        Set<Integer> left = Set.copyOf(order.subList(1, 1 + (size - 1) / 2));
        Set<Integer> right = rest(order, 1 + (size - 1) / 2);
        List<Set<Integer>> blocked = IntStream.range(0, size)
                .mapToObj(i -> left.contains(i) ? right : right.contains(i) ? left : Set.<Integer>of()).toList();
        return new Fault.Partition("bridge " + Fault.name(bridge), blocked,
                List.of(with(left, bridge), with(right, bridge)));
    }

    /** Nodes in a circle, each reaching only its two neighbours. */
    private static Fault ring(List<Integer> order, int size) {
        List<Set<Integer>> blocked = new ArrayList<>(IntStream.range(0, size).mapToObj(i -> Set.<Integer>of()).toList());
        for (int k = 0; k < size; k++) {
            Set<Integer> neighbours = Set.of(order.get(k), order.get((k + 1) % size), order.get((k + size - 1) % size));
            blocked.set(order.get(k), Fault.all(size).stream().filter(i -> !neighbours.contains(i))
                    .collect(Collectors.toUnmodifiableSet()));
        }
        String circle = order.stream().map(Fault::name).collect(Collectors.joining("-"));
        return new Fault.Partition("ring " + circle, List.copyOf(blocked), List.of(Fault.all(size)));
    }

    private static Set<Integer> rest(List<Integer> order, int from) {
        return Set.copyOf(order.subList(from, order.size()));
    }

    private static Set<Integer> with(Set<Integer> side, int node) {
        return java.util.stream.Stream.concat(side.stream(), java.util.stream.Stream.of(node))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static List<Integer> shuffled(SplittableRandom random, int size) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, size).boxed().toList());
        for (int i = size - 1; i > 0; i--) {
            java.util.Collections.swap(order, i, random.nextInt(i + 1));
        }
        return order;
    }
}
