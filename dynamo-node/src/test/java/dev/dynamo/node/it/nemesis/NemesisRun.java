package dev.dynamo.node.it.nemesis;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.node.it.KvClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * One fault schedule against a running {@link NamespacedCluster} under the workloads (carts over HTTP
 * and through the starter's client, deletes, lww registers): injects each event at its time and heals
 * it when it ends (events that overlap each on a thread of its own, so each is healed independently of
 * the others), heals everything, lets the clients go on for a quiet period, stops them and checks. Its
 * {@link #report} is the figures of the run: attempts by outcome, availability on each side of each
 * fault, time from the last heal to convergence, lost acknowledged elements (must be none), phantoms,
 * and the lww writes lost under skew.
 */
final class NemesisRun {

    /** An event as it happened: when it was injected and healed ({@link System#nanoTime}). */
    record Applied(FaultSchedule.Event event, long injectedNanos, long healedNanos) {
    }

    static final Duration QUIET = Duration.ofSeconds(2);
    static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(60);
    private static final int CARTS = 120; // so a cart stays under the 1 KiB the ring endpoint shows inline
    private static final int CLIENTS = 5;
    private static final int REGISTERS = 20;

    private final FaultSchedule schedule;
    private final List<Applied> applied = Collections.synchronizedList(new ArrayList<>());
    private List<Workload.Op> history = List.of();
    private List<Workload.Op> deleteHistory = List.of();
    private List<Workload.Op> starterHistory = List.of();
    private List<Workload.Op> lwwHistory = List.of();
    private CartChecker.Result result;
    private CartChecker.Result starterResult;
    private LwwWorkload.Check lww;
    private DeleteWorkload.Check deletes;
    private long startNanos;
    private Instant started; // to find the schedule in the node logs
    private InternodeProxy.Traffic traffic;

    NemesisRun(FaultSchedule schedule) {
        this.schedule = schedule;
    }

    /**
     * Runs the schedule through {@code clients} (one per node) and {@code starter} (the starter's client);
     * the cluster ends healed even when something fails midway.
     */
    NemesisRun run(NamespacedCluster cluster, List<KvClient> clients, DynamoClient starter) throws Exception {
        CartWorkload workload = new CartWorkload("carts", "s" + schedule.seed(), CARTS, clients, schedule.seed());
        DeleteWorkload deleter = new DeleteWorkload("registers", "s" + schedule.seed(), REGISTERS, CLIENTS, clients,
                schedule.seed());
        InternodeProxy.Traffic trafficBefore = cluster.traffic();
        StarterCartWorkload starterCarts = new StarterCartWorkload("starter-carts", workload.keys(), starter,
                schedule.seed());
        LwwWorkload registers = new LwwWorkload(NemesisIT.LWW_BUCKET, "s" + schedule.seed(), clients, schedule.seed());
        startNanos = System.nanoTime();
        started = Instant.now();
        workload.start(CLIENTS);
        deleter.start(CLIENTS);
        starterCarts.start(CLIENTS);
        registers.start(CLIENTS);
        long healed;
        try {
            for (List<FaultSchedule.Event> together : overlapping(schedule.events())) {
                applyTogether(together, cluster);
            }
        } finally {
            cluster.healAll();
            healed = System.nanoTime();
            Thread.sleep(QUIET);
            workload.stop();
            deleter.stop();
            starterCarts.stop();
            registers.stop();
        }
        traffic = cluster.traffic().since(trafficBefore);
        history = workload.history();
        deleteHistory = deleter.history();
        starterHistory = starterCarts.history();
        lwwHistory = registers.history();
        result = CartChecker.check(workload, clients, healed, CONVERGENCE_BOUND);
        starterResult = CartChecker.check(starterCarts, clients, healed, CONVERGENCE_BOUND);
        deletes = deleter.check(clients);
        lww = registers.check(clients, CONVERGENCE_BOUND);
        return this;
    }

    /** The events in groups that overlap in time, in order: a group starts once the one before has ended. */
    private static List<List<FaultSchedule.Event>> overlapping(List<FaultSchedule.Event> events) {
        List<List<FaultSchedule.Event>> groups = new ArrayList<>();
        long groupEnd = Long.MIN_VALUE;
        for (FaultSchedule.Event event : events) {
            if (event.atMillis() >= groupEnd) {
                groups.add(new ArrayList<>());
            }
            groups.getLast().add(event);
            groupEnd = Math.max(groupEnd, event.atMillis() + event.forMillis());
        }
        return groups;
    }

    /** Applies each of {@code events} on a thread of its own; returns once all are healed, failing if any failed. */
    private void applyTogether(List<FaultSchedule.Event> events, NamespacedCluster cluster) throws Exception {
        List<Future<?>> applying = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (FaultSchedule.Event event : events) {
                applying.add(threads.submit(() -> apply(event, cluster)));
            }
            for (Future<?> one : applying) {
                try {
                    one.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
    }

    /** Injects {@code event} at its time and heals it when it ends, even if interrupted meanwhile. */
    private Void apply(FaultSchedule.Event event, NamespacedCluster cluster) throws InterruptedException {
        sleepUntil(startNanos + event.atMillis() * 1_000_000);
        long injected = System.nanoTime();
        cluster.inject(event.fault());
        try {
            sleepUntil(injected + event.forMillis() * 1_000_000);
        } finally {
            cluster.heal(event.fault());
        }
        applied.add(new Applied(event, injected, System.nanoTime()));
        return null;
    }

    /**
     * Whether the run found no lost acknowledged cart element (over HTTP or the starter), no phantom, no
     * deleted value back, no re-added value lost, and converged within the bound, with the nodes' traffic
     * going through the proxy (else delay faults would delay nothing); no lww violation, and when no clock
     * was skewed, no lww write lost to an older one (with a skew they are expected: last-write-wins orders
     * by the coordinators' clocks, see README.md, and they are counted).
     */
    boolean passed() {
        return result.passed() && starterResult.passed() && lww.violations().isEmpty()
                && lwwLossesAllowed() && traffic.bytes() > 0 && deletes.violations().isEmpty();
    }

    /**
     * No write lost to a value it had read, ever; none lost to one acknowledged before it began, unless a
     * clock was skewed in this schedule (last-write-wins orders concurrent writes by the coordinators' clocks).
     */
    private boolean lwwLossesAllowed() {
        return lww.causal().isEmpty() && (lww.later().isEmpty()
                || schedule.events().stream().anyMatch(event -> event.fault() instanceof Fault.Skew));
    }

    String report() {
        StringBuilder out = new StringBuilder();
        out.append("seed ").append(schedule.seed()).append(": ").append(passed() ? "PASS" : "FAIL")
                .append(" (started ").append(started).append(", t=0 below)\n");
        out.append("  events (as scheduled; replay with -Dnemesis.seeds=").append(schedule.seed()).append("):\n");
        for (FaultSchedule.Event event : schedule.events()) {
            out.append("    ").append(event).append('\n');
        }
        out.append("  cart adds: ").append(counts(history)).append('\n');
        out.append("  cart adds through the starter's DynamoClient: ").append(counts(starterHistory)).append('\n');
        out.append("  deletes and re-adds: ").append(counts(deleteHistory)).append('\n');
        out.append("  lww writes: ").append(counts(lwwHistory)).append('\n');
        out.append("  availability (acknowledged / attempted, by the node the client used) during each fault:\n");
        List<Applied> byInjection;
        synchronized (applied) {
            byInjection = applied.stream().sorted(Comparator.comparingLong(Applied::injectedNanos)).toList();
        }
        for (Applied a : byInjection) {
            out.append(String.format("    t=%5.1fs-%5.1fs %-45s", (a.injectedNanos() - startNanos) / 1e9,
                    (a.healedNanos() - startNanos) / 1e9, a.event().fault().describe()));
            for (Set<Integer> side : a.event().fault().sides(5)) {
                int attempted = 0;
                int ok = 0;
                for (Workload.Op op : history) {
                    if (op.startNanos() >= a.injectedNanos() && op.startNanos() < a.healedNanos()
                            && side.contains(op.node())) {
                        attempted++;
                        ok += op.outcome() == Workload.Outcome.OK ? 1 : 0;
                    }
                }
                out.append(String.format("  %s %d/%d", Fault.names(side), ok, attempted));
            }
            out.append('\n');
        }
        out.append(String.format("  internode traffic through the proxy: %d connections, %d bytes, %d of them delayed%n",
                traffic.connections(), traffic.bytes(), traffic.delayedBytes()));
        out.append("  failure samples: ").append(history.stream().filter(op -> op.outcome() != Workload.Outcome.OK)
                .limit(3).map(op -> "n" + (op.node() + 1) + " " + op.outcome() + " " + abbreviate(op.detail())).toList())
                .append('\n');
        carts(out, "carts", result);
        carts(out, "starter carts", starterResult);
        out.append("  deleted values returned or re-added values lost: ").append(deletes.violations().size())
                .append(deletes.violations().isEmpty() ? "" : " " + deletes.violations())
                .append(String.format(" (%d of %d keys absent at the end)%n", deletes.absent(), deletes.keys()));
        out.append(String.format("  lww (%d keys, %d acknowledged writes): lost to a value they had read and replaced"
                + " %d, lost to a value acknowledged before they began %d%s%n", lww.keys(), lww.acknowledged(),
                lww.causal().size(), lww.later().size(), lwwLossesAllowed() ? "" : " (FAIL)"));
        out.append(samples(lww.causal())).append(samples(lww.later()));
        out.append("  lww violations: ").append(lww.violations().size())
                .append(lww.violations().isEmpty() ? "" : " " + lww.violations()).append('\n');
        return out.toString();
    }

    private static void carts(StringBuilder out, String name, CartChecker.Result result) {
        out.append("  ").append(name).append(", convergence after the last heal: ").append(result.convergenceMillis()
                == null ? "NOT within " + CONVERGENCE_BOUND + ": " + result.notConverged()
                : result.convergenceMillis() + " ms (every replica holds every acknowledged element)").append('\n');
        out.append("  ").append(name).append(", acknowledged elements lost: ").append(result.lostCount())
                .append(result.lost().isEmpty() ? "" : " " + result.lost()).append('\n');
        out.append("  ").append(name).append(", phantom elements (never attempted): ").append(result.phantoms().size())
                .append(result.phantoms().isEmpty() ? "" : " " + result.phantoms()).append('\n');
    }

    /** The first three of {@code losses}, as evidence. */
    private static String samples(List<String> losses) {
        return losses.stream().limit(3).map(loss -> "    e.g. " + loss + "\n").collect(Collectors.joining());
    }

    private static String counts(List<Workload.Op> ops) {
        Map<Workload.Outcome, Integer> counts = new EnumMap<>(Workload.Outcome.class);
        ops.forEach(op -> counts.merge(op.outcome(), 1, Integer::sum));
        return String.format("%d attempted, %d acknowledged, %d failed with an error answer, %d unknown (timeout or "
                + "connection lost)", ops.size(), counts.getOrDefault(Workload.Outcome.OK, 0),
                counts.getOrDefault(Workload.Outcome.FAILED, 0), counts.getOrDefault(Workload.Outcome.UNKNOWN, 0));
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
