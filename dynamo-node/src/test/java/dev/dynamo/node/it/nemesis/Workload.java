package dev.dynamo.node.it.nemesis;

import dev.dynamo.node.it.KvClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Client threads doing one kind of attempt again and again through randomly chosen nodes, each
 * attempt recorded with its node, its times and its outcome, in the manner of Jepsen's histories.
 * Subclasses say what one attempt does, through a node handle of type {@code C} (an HTTP client of
 * one node, or a client that routes by itself).
 */
abstract class Workload<C> {

    /** How an attempt ended: acknowledged, refused with a clear error answer, or no answer at all (timeout, connection lost). */
    enum Outcome { OK, FAILED, UNKNOWN }

    /**
     * One attempt through node {@code node}, between two {@link System#nanoTime} readings: {@code kind}
     * of operation on {@code key}, writing {@code element} (null for a delete), after a read that saw
     * {@code observed}.
     */
    record Op(int client, int node, long startNanos, long endNanos, String kind, String key, String element,
            Set<String> observed, Outcome outcome, String detail) {
    }

    /** What an attempt reports; the times and node are added by the loop. */
    record Attempt(String kind, String key, String element, Set<String> observed, Outcome outcome, String detail) {
    }

    private static final Duration PAUSE = Duration.ofMillis(10);
    private static final Duration JOIN = KvClient.REQUEST_TIMEOUT.multipliedBy(2).plusSeconds(5);

    private final String name;
    private final String bucket;
    private final List<String> keys;
    private final List<C> nodes;
    private final long seed;
    private final List<Op> history = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /** {@code name}'s clients on {@code keys} of {@code bucket}, through {@code nodes}. */
    Workload(String name, String bucket, List<String> keys, List<C> nodes, long seed) {
        this.name = name;
        this.bucket = bucket;
        this.keys = List.copyOf(keys);
        this.nodes = List.copyOf(nodes);
        this.seed = seed;
    }

    /** Keys {@code <prefix>0} to {@code <prefix><count-1>}. */
    static List<String> named(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(k -> prefix + k).toList();
    }

    String bucket() {
        return bucket;
    }

    List<String> keys() {
        return keys;
    }

    /**
     * One attempt by {@code client} (its {@code n}th) through {@code node}; an attempt that gets no
     * answer reports {@link Outcome#UNKNOWN} with what it tried, so its element counts as attempted.
     */
    abstract Attempt attempt(int client, long n, C node, SplittableRandom random) throws InterruptedException;

    /** Starts {@code clients} threads, each with a random of its own drawn from the seed. */
    void start(int clients) {
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> run(client, new SplittableRandom(seed * 1_000 + client)),
                    name + "-client-" + client);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the clients after their attempts in progress (each bounded by the HTTP timeout). */
    void stop() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(JOIN.toMillis());
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop within " + JOIN);
            }
        }
    }

    /** Every attempt so far. */
    List<Op> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private void run(int client, SplittableRandom random) {
        for (long n = 0; !stopped; n++) {
            int node = random.nextInt(nodes.size());
            long start = System.nanoTime();
            Attempt attempt;
            try {
                attempt = attempt(client, n, nodes.get(node), random);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            history.add(new Op(client, node, start, System.nanoTime(), attempt.kind(), attempt.key(),
                    attempt.element(), attempt.observed(), attempt.outcome(), attempt.detail()));
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
