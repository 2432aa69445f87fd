package dev.dynamo.node.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Single-node HTTP benchmark (a program, not a test): drives a node that is already running at
 * {@code --url}; starts nothing itself. Preloads {@code --keys} fresh keys, then runs a GET-only
 * and a PUT-only phase on {@code --threads} threads and prints one line per phase. Every request
 * has a timeout, so a run ends even if the node hangs.
 *
 * <p>Keys are {@code /kv/bench/<run id>-k<i>}, new for every run, so runs against the same node
 * never meet each other's data. Every PUT carries a causal context, so no PUT makes a sibling:
 * the preload writes each key once (blind, the key is new) and keeps the context each answer
 * returns; in the PUT phase key {@code i} belongs to worker {@code i % threads} only, which
 * overwrites it with the context of its own previous write and keeps the new one. A PUT is thus
 * a plain update that supersedes what is stored, without a GET before it. A sample GET at the end
 * checks that no key has siblings.
 *
 * <p>Clients: {@code --client jdk} (default) is {@link java.net.http.HttpClient}, see
 * {@link JdkHttpDriver}; {@code --client raw} is {@link RawHttpDriver}, a minimal socket client
 * that leaves more of the shared CPU to the node. With {@code --server-pid}, each phase also
 * reports how many cores the node used (Linux).
 *
 * <pre>--url http://127.0.0.1:8080  --threads 32  --keys 10000  --value-size 1024  --warmup 3
 * --seconds 10  --client jdk|raw  --clients 1  --executor virtual|jdk-default  --server-pid (none)</pre>
 */
public final class HttpBench {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int DISTINCT_PUT_VALUES = 64;
    private static final int SIBLING_CHECK_SAMPLE = 500;

    private HttpBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv, Map.of("url", "http://127.0.0.1:8080", "threads", "32",
                "keys", "10000", "value-size", "1024", "warmup", "3", "seconds", "10",
                "client", "jdk", "clients", "1", "executor", "virtual", "server-pid", ""));
        String base = args.string("url").replaceAll("/+$", "");
        String prefix = "/kv/bench/" + Long.toString(System.currentTimeMillis(), 36) + "-k";
        int threads = args.integer("threads");
        int keyCount = args.integer("keys");
        if (keyCount < threads) {
            throw new IllegalArgumentException("--keys must be at least --threads: every worker owns keys to update");
        }
        int valueSize = args.integer("value-size");
        Duration warmup = Duration.ofSeconds(args.integer("warmup"));
        Duration measured = Duration.ofSeconds(args.integer("seconds"));
        String[] paths = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            paths[i] = prefix + i;
        }
        SplittableRandom random = new SplittableRandom(42);
        byte[][] values = new byte[DISTINCT_PUT_VALUES][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[valueSize];
            random.nextBytes(values[i]);
        }
        Map<String, LongSupplier> cpu = Phase.standardCpuClocks();
        if (!args.string("server-pid").isEmpty()) {
            long pid = Long.parseLong(args.string("server-pid"));
            cpu.put("node", () -> Phase.processCpuNanos(pid));
        }
        String client = switch (args.string("client")) {
            case "jdk" -> "jdk(" + args.string("clients") + " client, executor " + args.string("executor") + ")";
            case "raw" -> "raw";
            default -> throw new IllegalArgumentException("--client must be jdk or raw, was " + args.string("client"));
        };
        String label = String.format(Locale.ROOT, "http-%-4s", args.string("client"));
        System.out.printf(Locale.ROOT, "# %s%s*, %d keys, %d-byte values, %d threads, client %s, %ds warm-up + %ds per phase%n",
                base, prefix, keyCount, valueSize, threads, client, warmup.toSeconds(), measured.toSeconds());

        try (HttpDriver http = args.string("client").equals("raw") ? new RawHttpDriver(base, threads, TIMEOUT)
                : new JdkHttpDriver(base, args.integer("clients"), args.string("executor"), TIMEOUT)) {
            String[] contexts = new String[keyCount]; // key i is only touched by worker i % threads
            long loadStart = System.nanoTime();
            preload(key -> http, paths, values, contexts, threads);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            System.out.printf(Locale.ROOT, "%s LOAD  %,.0f keys/s (%d keys, %.1f s)%n", label, keyCount / loadSeconds, keyCount, loadSeconds);

            Phase.Result get = Phase.run("get", threads, warmup, measured, 1, cpu, (worker, r) -> {
                HttpDriver.Reply reply = http.get(worker, paths[r.nextInt(keyCount)]);
                if (reply.status() != 200 || reply.bodyLength() != valueSize) {
                    throw new IllegalStateException("GET answered " + reply.status() + " with " + reply.bodyLength() + " bytes");
                }
            });
            System.out.println(label + " GET   " + get.summary());

            Phase.Result put = Phase.run("put", threads, warmup, measured, 2, cpu, (worker, r) -> {
                int owned = (keyCount - worker + threads - 1) / threads; // keys worker, worker + threads, ...
                int key = worker + r.nextInt(owned) * threads;
                contexts[key] = put(http, worker, paths[key], contexts[key], values[r.nextInt(values.length)]);
            });
            System.out.println(label + " PUT   " + put.summary());
            System.out.println(label + " check " + checkNoSiblings(http, paths));
            if (!http.stats().isEmpty()) {
                System.out.println(label + " stats " + http.stats());
            }
        }
    }

    /**
     * Writes every key once from {@code threads} threads, key {@code i} through
     * {@code driverOfKey.apply(i)}, keeping each key's context.
     */
    static void preload(IntFunction<HttpDriver> driverOfKey, String[] paths, byte[][] values, String[] contexts,
            int threads) throws InterruptedException {
        AtomicInteger failures = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            workers.add(Thread.ofPlatform().name("load-" + w).start(() -> {
                for (int key = worker; key < paths.length; key += threads) {
                    try {
                        contexts[key] = put(driverOfKey.apply(key), worker, paths[key], null, values[key % values.length]);
                    } catch (Exception e) {
                        if (failures.getAndIncrement() == 0) {
                            System.err.println("preload: first error: " + e);
                        }
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join(); // also publishes contexts to the phase threads
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " preload PUTs failed; is the node running?");
        }
    }

    /** PUTs {@code value} superseding {@code context} (none: a new key); returns the new context. */
    static String put(HttpDriver http, int worker, String path, String context, byte[] value) throws Exception {
        HttpDriver.Reply reply = http.put(worker, path, context, value);
        if (reply.status() != 204 || reply.context() == null) {
            throw new IllegalStateException("PUT answered " + reply.status() + (reply.context() == null ? " without a context" : ""));
        }
        return reply.context();
    }

    /** Status counts of GETs on a spread sample of keys: all 200 unless some PUT made siblings (300). */
    static String checkNoSiblings(HttpDriver http, String[] paths) throws Exception {
        Map<Integer, Integer> statuses = new TreeMap<>();
        int step = Math.max(1, paths.length / SIBLING_CHECK_SAMPLE);
        for (int i = 0; i < paths.length; i += step) {
            statuses.merge(http.get(0, paths[i]).status(), 1, Integer::sum);
        }
        return "GET status counts on a sample of keys (expect only 200): " + statuses;
    }
}
