package dev.dynamo.node.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One closed-loop benchmark phase: {@code threads} platform threads each run an operation back to
 * back, unmeasured during the warm-up, then timed one by one for the measured window. An operation
 * may be one of several kinds (a read or an update of a mixed workload), each timed apart. Each
 * thread records into its own {@link Histogram} per kind; they are merged at the end.
 *
 * <p>Closed loop: a slow operation delays the next one of its thread, so the latencies are those
 * of the requests actually sent (no coordinated-omission correction); throughput is the number of
 * operations started inside the window divided by the window.
 */
final class Phase {

    /** Latencies above a minute are recorded as a minute. */
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** One operation of one worker thread; throwing counts an error and records no latency. */
    @FunctionalInterface
    interface Operation {
        void run(int worker, SplittableRandom random) throws Exception;
    }

    /** An operation of a mixed phase: returns the index of the kind it ran, among the phase's kinds. */
    @FunctionalInterface
    interface MixedOperation {
        int run(int worker, SplittableRandom random) throws Exception;
    }

    /**
     * What a phase measured: latencies per kind of operation, and in {@code cores}, per named CPU
     * clock, the CPU time it counted in the window divided by the window: how many cores that
     * process kept busy.
     */
    record Result(Map<String, Histogram> latencies, long errors, Duration window, Map<String, Double> cores) {

        /**
         * Per kind {@code ops/s p50 p99 p99.9 max} (milliseconds), then the errors and the cores
         * used; a phase of several kinds starts with a line for the whole phase.
         */
        String summary() {
            StringBuilder text = new StringBuilder();
            if (latencies.size() > 1) {
                long operations = latencies.values().stream().mapToLong(Histogram::getTotalCount).sum();
                text.append(String.format(Locale.ROOT, "ops/s=%,9.0f  n=%d", perSecond(operations), operations));
            }
            latencies.forEach((kind, histogram) -> text.append(latencies.size() == 1 ? "" : String.format(Locale.ROOT, "%n  %-7s", kind))
                    .append(String.format(Locale.ROOT, "ops/s=%,9.0f  p50=%8.3f ms  p99=%8.3f ms  p99.9=%8.3f ms  max=%8.3f ms  n=%d",
                            perSecond(histogram.getTotalCount()), millis(histogram, 50), millis(histogram, 99),
                            millis(histogram, 99.9), histogram.getMaxValue() / 1e6, histogram.getTotalCount())));
            text.append(latencies.size() == 1 ? " " : String.format(Locale.ROOT, "%n  ")).append("errors=").append(errors);
            cores.forEach((name, used) -> text.append(String.format(Locale.ROOT, "  cpu(%s)=%.2f cores", name, used)));
            return text.toString();
        }

        private double perSecond(long operations) {
            return operations / (window.toNanos() / 1e9);
        }

        private static double millis(Histogram histogram, double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private Phase() {
    }

    /**
     * Runs {@code operation} on {@code threads} threads for {@code warmup} then {@code measured},
     * reading each of {@code cpuClocks} (CPU nanoseconds of a process) as the window opens and closes.
     */
    static Result run(String name, int threads, Duration warmup, Duration measured, long seed,
                      Map<String, LongSupplier> cpuClocks, Operation operation) throws InterruptedException {
        return run(name, List.of(name), threads, warmup, measured, seed, cpuClocks, (worker, random) -> {
            operation.run(worker, random);
            return 0;
        });
    }

    /** As {@link #run(String, int, Duration, Duration, long, Map, Operation)}, timing each of {@code kinds} apart. */
    static Result run(String name, List<String> kinds, int threads, Duration warmup, Duration measured, long seed,
                      Map<String, LongSupplier> cpuClocks, MixedOperation operation) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        long[] window = new long[2]; // start and end of the measured window, System.nanoTime; written before go
        List<Histogram[]> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            Histogram[] byKind = new Histogram[kinds.size()];
            Arrays.setAll(byKind, kind -> new Histogram(HIGHEST_NANOS, 3));
            histograms.add(byKind);
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + w);
            workers.add(Thread.ofPlatform().name(name + "-" + w).start(() -> {
                ready.countDown();
                awaitQuietly(go);
                long start = window[0];
                long end = window[1];
                for (long begin = System.nanoTime(); begin - end < 0; begin = System.nanoTime()) {
                    try {
                        int kind = operation.run(worker, random);
                        if (begin - start >= 0) {
                            byKind[kind].recordValue(Math.min(System.nanoTime() - begin, HIGHEST_NANOS));
                        }
                    } catch (Exception e) {
                        if (begin - start >= 0) {
                            errors.incrementAndGet();
                        }
                        firstError.compareAndSet(null, e);
                    }
                }
            }));
        }
        ready.await();
        window[0] = System.nanoTime() + warmup.toNanos();
        window[1] = window[0] + measured.toNanos();
        go.countDown(); // publishes window to the workers
        Map<String, Long> cpuAtStart = new LinkedHashMap<>();
        sleepUntil(window[0]);
        cpuClocks.forEach((clock, nanos) -> cpuAtStart.put(clock, nanos.getAsLong()));
        sleepUntil(window[1]);
        Map<String, Double> cores = new LinkedHashMap<>();
        cpuClocks.forEach((clock, nanos) -> cores.put(clock,
                (double) (nanos.getAsLong() - cpuAtStart.get(clock)) / measured.toNanos()));
        for (Thread worker : workers) {
            worker.join();
        }
        if (firstError.get() != null) {
            System.err.println(name + ": first error: " + firstError.get());
        }
        Map<String, Histogram> merged = new LinkedHashMap<>();
        for (int kind = 0; kind < kinds.size(); kind++) {
            Histogram all = new Histogram(HIGHEST_NANOS, 3);
            for (Histogram[] byKind : histograms) {
                all.add(byKind[kind]);
            }
            merged.put(kinds.get(kind), all);
        }
        return new Result(merged, errors.get(), measured, cores);
    }

    /** This JVM's CPU time in nanoseconds, all threads. */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The CPU clocks every bench reports: its own process, and on Linux the whole machine (busy
     * time of all cores from {@code /proc/stat}), which shows when something else was running.
     */
    static Map<String, LongSupplier> standardCpuClocks() {
        Map<String, LongSupplier> clocks = new LinkedHashMap<>();
        clocks.put("bench", Phase::ownCpuNanos);
        if (machineCpuNanos() >= 0) {
            clocks.put("machine", Phase::machineCpuNanos);
        }
        return clocks;
    }

    /**
     * CPU time of another process on Linux, from {@code /proc/<pid>/stat} (user plus system time,
     * in clock ticks of 10 ms: {@code getconf CLK_TCK} is 100 on Linux x86).
     */
    static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields[0] is field 3, the state
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
    }

    /** Busy time of all cores (user, nice, system, irq, softirq, steal) in nanoseconds, or -1 off Linux. */
    static long machineCpuNanos() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().split(" +");
            long ticks = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(cpu[field]);
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux x86
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
