package dev.dynamo.node.bench;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import dev.dynamo.node.storage.StorageEngines;
import dev.dynamo.node.storage.SyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Single-node storage benchmark (a program, not a test): opens one engine in a fresh directory,
 * preloads {@code --keys} keys with random values, then runs a GET-only and a PUT-only phase on
 * {@code --threads} threads and prints one line per phase: ops/s and p50/p99/p99.9 latency.
 *
 * <p>GETs read a uniformly random preloaded key. PUTs overwrite a uniformly random preloaded key
 * with one of a few random values and wait for the write's future, so at most {@code --threads}
 * writes are in flight and group commit can batch up to that many per transaction.
 *
 * <pre>--engine lmdb|h2|memory  --sync always|interval|never  --sync-interval-ms 1000
 * --threads 32  --keys 100000  --value-size 1024  --warmup 3  --seconds 10
 * --dir (parent of the fresh directory; default the system temp dir)  --max-size-mb 8192</pre>
 */
public final class EngineBench {

    private static final String BUCKET = "bench";
    private static final int DISTINCT_PUT_VALUES = 64;
    private static final int PRELOAD_CHUNK = 1000;

    private EngineBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv, Map.of("engine", "lmdb", "sync", "always", "sync-interval-ms", "1000",
                "threads", "32", "keys", "100000", "value-size", "1024", "warmup", "3", "seconds", "10",
                "dir", System.getProperty("java.io.tmpdir"), "max-size-mb", "8192"));
        String engineName = args.string("engine").toLowerCase(Locale.ROOT);
        SyncPolicy sync = SyncPolicy.valueOf(args.string("sync").toUpperCase(Locale.ROOT));
        int threads = args.integer("threads");
        int keyCount = args.integer("keys");
        int valueSize = args.integer("value-size");
        Duration warmup = Duration.ofSeconds(args.integer("warmup"));
        Duration measured = Duration.ofSeconds(args.integer("seconds"));
        Path directory = Files.createTempDirectory(Path.of(args.string("dir")), "engine-bench-");
        String label = String.format(Locale.ROOT, "%-6s %-8s", engineName,
                engineName.equals(StorageEngines.MEMORY) ? "-" : sync.name().toLowerCase(Locale.ROOT));

        byte[][] keys = keys(keyCount);
        SplittableRandom random = new SplittableRandom(42);
        byte[][] putValues = new byte[DISTINCT_PUT_VALUES][];
        for (int i = 0; i < putValues.length; i++) {
            putValues[i] = randomBytes(random, valueSize);
        }
        System.out.printf(Locale.ROOT, "# %s, %d keys, %d-byte values, %d threads, %ds warm-up + %ds per phase, in %s%n",
                label.strip().replaceAll(" +", " sync="), keyCount, valueSize, threads, warmup.toSeconds(),
                measured.toSeconds(), directory);
        try (StorageEngine engine = StorageEngines.open(engineName, directory,
                (long) args.integer("max-size-mb") << 20, sync, Duration.ofMillis(args.integer("sync-interval-ms")))) {
            long loadStart = System.nanoTime();
            preload(engine, keys, random, valueSize);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            System.out.printf(Locale.ROOT, "%s LOAD  %,.0f keys/s (%d keys in batches of up to %d, %.1f s)%n",
                    label, keyCount / loadSeconds, keyCount, PRELOAD_CHUNK, loadSeconds);

            Map<String, LongSupplier> cpu = Phase.standardCpuClocks();
            Phase.Result get = Phase.run("get", threads, warmup, measured, 1, cpu, (worker, r) -> {
                if (engine.get(Namespace.DATA, keys[r.nextInt(keys.length)]) == null) {
                    throw new IllegalStateException("a preloaded key is missing");
                }
            });
            System.out.println(label + " GET   " + get.summary());

            Phase.Result put = Phase.run("put", threads, warmup, measured, 2, cpu, (worker, r) ->
                    engine.put(Namespace.DATA, keys[r.nextInt(keys.length)], putValues[r.nextInt(putValues.length)]).join());
            System.out.println(label + " PUT   " + put.summary());
            System.out.printf(Locale.ROOT, "%s size  %,d MB in use after the run%n", label, engine.sizeInBytes() >> 20);
        } finally {
            deleteRecursively(directory);
        }
    }

    /** Stored keys of {@code bench/k0} .. {@code bench/k<count-1>}, as the node would store them. */
    static byte[][] keys(int count) {
        byte[][] keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            keys[i] = StorageKey.of(BUCKET, ("k" + i).getBytes(StandardCharsets.US_ASCII)).encode();
        }
        return keys;
    }

    private static void preload(StorageEngine engine, byte[][] keys, SplittableRandom random, int valueSize) {
        for (int from = 0; from < keys.length; from += PRELOAD_CHUNK) {
            List<CompletableFuture<byte[]>> writes = new ArrayList<>(PRELOAD_CHUNK);
            for (int i = from; i < Math.min(keys.length, from + PRELOAD_CHUNK); i++) {
                writes.add(engine.put(Namespace.DATA, keys[i], randomBytes(random, valueSize)));
            }
            writes.forEach(CompletableFuture::join);
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
