package dev.dynamo.node.it.nemesis;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.it.KvClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Registers in a {@code conflict=lww} bucket, shared by every client, for clock skew: each attempt
 * picks a key and either reads it and writes a new unique value with the read's context (a write
 * causally after the value it replaces), or, one time in {@link #BLIND_SHARE}, writes one blind (no
 * read, no context). {@link #check} waits until the replicas of each key agree, then sorts the
 * acknowledged writes that lost: to a value they had read and replaced (causal losses), or to one
 * acknowledged before they began (real-time losses). Last-write-wins orders by the coordinators'
 * clocks, so with clocks in step there are neither; under skew both are expected and counted.
 *
 * <p>The clients write {@link #ACTIVE} keys at a time and move to the next ones every {@link #EPOCH}:
 * only the final value of a key can be checked, so a key written all along would show a write lost
 * during a skew only if no later write replaced the winner; a key written only then keeps the loss
 * in sight. After {@link #EPOCHS} epochs the keys are used again (still checked, with less to see).
 */
final class LwwWorkload extends Workload<KvClient> {

    private static final double BLIND_SHARE = 0.3;
    /** Few at a time, so that clients often write the same key at once. */
    private static final int ACTIVE = 10;
    private static final Duration EPOCH = Duration.ofSeconds(2);
    private static final int EPOCHS = 100;

    private final long began = System.nanoTime();

    LwwWorkload(String bucket, String prefix, List<KvClient> nodes, long seed) {
        super("lww", bucket, named(prefix + "-lww", ACTIVE * EPOCHS), nodes, seed);
    }

    @Override
    Attempt attempt(int client, long n, KvClient node, SplittableRandom random) throws InterruptedException {
        long epoch = (System.nanoTime() - began) / EPOCH.toNanos() % EPOCHS;
        String key = keys().get((int) epoch * ACTIVE + random.nextInt(ACTIVE));
        String element = "c" + client + "." + n;
        byte[] value = element.getBytes(StandardCharsets.UTF_8);
        boolean blind = random.nextDouble() < BLIND_SHARE;
        try {
            HttpResponse<byte[]> write;
            Set<String> observed = Set.of();
            if (blind) {
                write = node.put(bucket(), key, value);
            } else {
                HttpResponse<byte[]> read = node.getAcceptingJson(bucket(), key);
                if (!CartWorkload.isRead(read)) {
                    return new Attempt("write", key, element, Set.of(), Outcome.FAILED, "read " + KvClient.text(read));
                }
                observed = CartWorkload.union(read);
                String context = read.headers().firstValue("X-Dynamo-Context").orElse(null);
                write = context == null ? node.put(bucket(), key, value) : node.put(bucket(), key, value, context);
            }
            String kind = blind ? "blind" : "write";
            return write.statusCode() == 204 ? new Attempt(kind, key, element, observed, Outcome.OK, "")
                    : new Attempt(kind, key, element, observed, Outcome.FAILED, "write " + KvClient.text(write));
        } catch (ConnectException refused) { // nothing was sent: a clear failure
            return new Attempt("write", key, element, Set.of(), Outcome.FAILED, refused.toString());
        } catch (IOException e) {
            return new Attempt("write", key, element, Set.of(), Outcome.UNKNOWN, e.toString());
        }
    }

    /**
     * Waits (up to {@code bound}) until the three replicas of every key written hold the same siblings, then
     * goes through the acknowledged writes of each key that are not its final value: lost to a value in
     * their causal past (they had read it, or read a value written after reading it), or, when not, lost
     * to a value acknowledged before they began. Anything else wrong is a violation: replicas still
     * disagreeing, a value no one wrote, a key written and acknowledged but empty. The final value is what
     * a reader is shown: the newest of the siblings (concurrent writes stay siblings until a write replaces
     * them), by timestamp, then actor, then counter.
     */
    Check check(List<KvClient> nodes, Duration bound) throws IOException, InterruptedException {
        Map<String, Op> writes = new HashMap<>();
        Map<String, List<Op>> acked = new HashMap<>();
        for (Op op : history()) {
            writes.put(op.element(), op);
            if (op.outcome() == Outcome.OK) {
                acked.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        long wallMinusNanoMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        List<String> causal = new ArrayList<>();
        List<String> later = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        long deadline = System.nanoTime() + bound.toNanos();
        int i = 0;
        for (String key : acked.keySet().stream().sorted().toList()) {
            KvClient node = nodes.get(i++ % nodes.size());
            Agreed agreed = agreed(node, key);
            while (agreed.problem() != null && System.nanoTime() - deadline < 0) {
                Thread.sleep(300); // anti-entropy runs on its own round; there is no event to wait on
                agreed = agreed(node, key);
            }
            List<Op> owed = acked.getOrDefault(key, List.of());
            if (agreed.problem() != null) {
                violations.add(key + ": " + agreed.problem());
                continue;
            }
            if (agreed.element() == null) {
                if (!owed.isEmpty()) {
                    violations.add(key + ": empty, though " + owed.size() + " writes were acknowledged");
                }
                continue;
            }
            Op winner = writes.get(agreed.element());
            if (winner == null) {
                violations.add(key + ": holds " + agreed.element() + ", which no one wrote");
                continue;
            }
            String won = String.format(java.util.Locale.ROOT, "%s (%s, stamped by %s %+.1f s from its end as the"
                    + " client saw it)", winner.element(), winner.outcome(), agreed.dot(),
                    (agreed.timestamp() - wallMinusNanoMillis - winner.endNanos() / 1_000_000) / 1000.0);
            for (Op w : owed) {
                if (w.element().equals(winner.element())) {
                    continue;
                }
                String lost = key + ": " + w.kind() + " " + w.element() + " through " + Fault.name(w.node())
                        + " lost to " + won;
                if (causalPast(w, writes).contains(winner.element())) {
                    causal.add(lost + ", which it had read and replaced");
                } else if (winner.outcome() == Outcome.OK && winner.endNanos() < w.startNanos()) {
                    later.add(lost + ", acknowledged before it began");
                }
            }
        }
        return new Check(acked.size(), acked.values().stream().mapToInt(List::size).sum(), causal, later, violations);
    }

    /** The values {@code write} saw, directly or through the writes of the values it saw. */
    private static Set<String> causalPast(Op write, Map<String, Op> writes) {
        Set<String> past = new HashSet<>();
        Deque<Op> next = new ArrayDeque<>(List.of(write));
        while (!next.isEmpty()) {
            for (String seen : next.pop().observed()) {
                Op before = writes.get(seen);
                if (past.add(seen) && before != null) {
                    next.push(before);
                }
            }
        }
        return past;
    }

    /** What the replicas of a key agree on: the value shown (or none), its dot and timestamp; or why they do not. */
    private record Agreed(String element, String dot, long timestamp, String problem) {
    }

    /** The node's last-write-wins order of siblings, from the ring endpoint's view: timestamp, actor, counter. */
    private static final Comparator<Map<String, Object>> NEWEST = Comparator
            .comparingLong((Map<String, Object> s) -> ((Number) s.get("timestamp")).longValue())
            .thenComparing(s -> actor((String) s.get("dot")))
            .thenComparingLong(s -> counter((String) s.get("dot")));

    private static String actor(String dot) {
        return dot.substring(0, dot.lastIndexOf(':'));
    }

    private static long counter(String dot) {
        return Long.parseLong(dot.substring(dot.lastIndexOf(':') + 1));
    }

    private Agreed agreed(KvClient node, String key) throws IOException, InterruptedException {
        HttpResponse<byte[]> view = node.replicas(bucket(), key);
        if (view.statusCode() != 200) {
            return new Agreed(null, null, 0, KvClient.text(view));
        }
        String json = new String(view.body(), StandardCharsets.UTF_8);
        List<Map<String, Object>> replicas = JsonPath.read(json, "$.replicas");
        List<List<Map<String, Object>>> siblings = replicas.stream()
                .map(r -> JsonPath.<List<Map<String, Object>>>read(r, "$.siblings")).toList();
        if (replicas.size() != 3 || replicas.stream().anyMatch(r -> r.get("error") != null)
                || siblings.stream().map(s -> s.stream().map(sibling -> sibling.get("dot")).toList()).distinct()
                        .count() != 1) {
            return new Agreed(null, null, 0, "replicas disagree: " + json);
        }
        if (siblings.getFirst().isEmpty()) {
            return new Agreed(null, null, 0, null);
        }
        Map<String, Object> shown = siblings.getFirst().stream().max(NEWEST).orElseThrow();
        String element = new String(Base64.getDecoder().decode((String) shown.get("valueBase64")),
                StandardCharsets.UTF_8);
        return new Agreed(element, (String) shown.get("dot"), ((Number) shown.get("timestamp")).longValue(), null);
    }

    /**
     * What {@link #check} found: of {@code acknowledged} writes to {@code keys} keys, those lost to a value
     * they had read and replaced ({@code causal}), those lost to one acknowledged before they began
     * ({@code later}), and {@code violations}.
     */
    record Check(int keys, int acknowledged, List<String> causal, List<String> later, List<String> violations) {
    }
}
