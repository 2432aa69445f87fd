package dev.dynamo.node.it.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A fault schedule drawn from a seed: faults one after another, each for a while, with a quiet gap
 * before each; now and then a second fault starts while one lasts and may outlast it (the next gap
 * starts when both have ended). The same seed and size always give the same list, so a failing
 * schedule replays from its seed (its events are printed too).
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
    /** One fault in this many gets a second one overlapping it. */
    private static final int OVERLAP_ONE_IN = 3;
    /**
     * Up to 300 ms plus as much jitter each way: a request and its reply (1.2 s at most) still fit the
     * nodes' 2 s request timeout, while a new connection's handshake (three trips) may pass their 1 s
     * connect timeout.
     */
    private static final long MIN_DELAY = 50;
    private static final long MAX_DELAY = 300;
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
            Event event = new Event(at, length, fault(random, size));
            events.add(event);
            at += length;
            if (random.nextInt(OVERLAP_ONE_IN) == 0) {
                Event overlapping = new Event(event.atMillis() + random.nextLong(event.forMillis()),
                        random.nextLong(MIN_FAULT, MAX_FAULT + 1), fault(random, size));
                long end = overlapping.atMillis() + overlapping.forMillis();
                if (end <= windowMillis && !sameNode(event.fault(), overlapping.fault())) {
                    events.add(overlapping);
                    at = Math.max(at, end);
                }
            }
        }
    }

    /**
     * Two faults on one node's JVM cannot overlap: a pause of a killed node, a kill of a restarting one, two
     * skews of one clock (the first healed would undo the second).
     */
    private static boolean sameNode(Fault a, Fault b) {
        return node(a) >= 0 && node(a) == node(b);
    }

    /** The node a fault is done to, or -1 for a network fault. */
    private static int node(Fault fault) {
        return switch (fault) {
            case Fault.NodeFault f -> f.node();
            case Fault.Skew skew -> skew.node();
            default -> -1;
        };
    }

    private static Fault fault(SplittableRandom random, int size) {
        List<Integer> order = shuffled(random, size);
        return switch (random.nextInt(10)) {
            case 0 -> partition("isolate", List.of(Set.of(order.get(0)), rest(order, 1)), size);
            case 1 -> partition("split", List.of(Set.copyOf(order.subList(0, size / 2)), rest(order, size / 2)), size);
            case 2 -> bridge(order, size);
            case 3 -> ring(order, size);
            case 4 -> new Fault.Loss(0.1 + random.nextInt(4) * 0.1);
            case 5 -> new Fault.NodeFault(Fault.NodeFault.Action.PAUSE, order.get(0));
            case 6 -> delay(random, order, size);
            case 7 -> new Fault.Skew(order.get(0),
                    (random.nextBoolean() ? 1 : -1) * random.nextLong(MIN_SKEW, MAX_SKEW + 1));
            default -> new Fault.NodeFault(Fault.NodeFault.Action.KILL, order.get(0));
        };
    }

    /** Every link, or one node's links, delayed by 50 to 300 ms plus a jitter of up to as much again. */
    private static Fault delay(SplittableRandom random, List<Integer> order, int size) {
        long millis = random.nextLong(MIN_DELAY, MAX_DELAY + 1);
        long jitter = random.nextLong(millis + 1);
        return new Fault.Delay(millis, jitter, random.nextBoolean() ? Fault.all(size) : Set.of(order.get(0)));
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
