package dev.dynamo.node.it.nemesis;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.it.KvClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a history of cart adds (of a {@link CartWorkload} or a {@link StarterCartWorkload}) against
 * the cluster once every fault is healed: first
 * waits until every replica of every cart holds every acknowledged element (read through
 * {@code /actuator/ring/{bucket}/{key}}, which asks each replica and repairs nothing), timing it;
 * then reads every cart through the API and finds acknowledged elements missing (lost writes) and
 * elements no one tried to add (phantoms).
 */
final class CartChecker {

    /** What the check found: the time to convergence (null if not within the bound) and what it lacked then. */
    record Result(Long convergenceMillis, String notConverged, Map<String, Set<String>> lost, Set<String> phantoms) {
        int lostCount() {
            return lost.values().stream().mapToInt(Set::size).sum();
        }

        /** No acknowledged element lost, no phantom, converged within the bound. */
        boolean passed() {
            return lostCount() == 0 && phantoms.isEmpty() && convergenceMillis != null;
        }
    }

    private CartChecker() {
    }

    /** Checks the adds of a cart workload (over HTTP or the starter), reading through {@code nodes}. */
    static Result check(Workload<?> workload, List<KvClient> nodes, long healedNanos, Duration bound)
            throws Exception {
        String bucket = workload.bucket();
        Map<String, Set<String>> acked = new HashMap<>();
        Set<String> attempted = new TreeSet<>();
        for (Workload.Op op : workload.history()) {
            attempted.add(op.element());
            if (op.outcome() == Workload.Outcome.OK) {
                acked.computeIfAbsent(op.key(), c -> new TreeSet<>()).add(op.element());
            }
        }
        Long convergence = null;
        String unmet = null;
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            unmet = unconverged(bucket, acked, nodes);
            if (unmet == null) {
                convergence = Duration.ofNanos(System.nanoTime() - healedNanos).toMillis();
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(300); // hints and anti-entropy run on their own rounds; there is no event to wait on
        }
        Map<String, Set<String>> lost = new HashMap<>();
        Set<String> phantoms = new TreeSet<>();
        int i = 0;
        for (String cart : workload.keys()) {
            HttpResponse<byte[]> read = nodes.get(i++ % nodes.size()).getAcceptingJson(bucket, cart);
            Set<String> present = CartWorkload.union(read);
            Set<String> missing = new TreeSet<>(acked.getOrDefault(cart, Set.of()));
            missing.removeAll(present);
            if (!missing.isEmpty()) {
                lost.put(cart, missing);
            }
            present.stream().filter(e -> !attempted.contains(e)).forEach(phantoms::add);
        }
        return new Result(convergence, unmet, lost, phantoms);
    }

    /** Null when every replica of every cart holds all its acknowledged elements; else the first cart that does not. */
    private static String unconverged(String bucket, Map<String, Set<String>> acked, List<KvClient> nodes)
            throws Exception {
        int i = 0;
        for (Map.Entry<String, Set<String>> cart : acked.entrySet()) {
            HttpResponse<byte[]> view = nodes.get(i++ % nodes.size()).replicas(bucket, cart.getKey());
            if (view.statusCode() != 200) {
                return cart.getKey() + ": " + KvClient.text(view);
            }
            String json = new String(view.body(), StandardCharsets.UTF_8);
            List<Map<String, Object>> replicas = JsonPath.read(json, "$.replicas");
            if (replicas.size() != 3) {
                return cart.getKey() + ": " + replicas.size() + " replicas: " + json;
            }
            for (Map<String, Object> replica : replicas) {
                if (replica.get("error") != null) {
                    return cart.getKey() + ": replica " + replica.get("node") + " answered " + replica.get("error");
                }
                Set<String> held = new TreeSet<>();
                for (Map<String, Object> sibling : JsonPath.<List<Map<String, Object>>>read(replica, "$.siblings")) {
                    if (Boolean.TRUE.equals(sibling.get("tombstone"))) {
                        continue;
                    }
                    Object value = sibling.get("valueBase64");
                    if (value == null) {
                        return cart.getKey() + ": a sibling over 1 KiB on " + replica.get("node")
                                + ", which /actuator/ring does not show (a limit of this check: use more carts)";
                    }
                    held.addAll(CartWorkload.elements(Base64.getDecoder().decode((String) value)));
                }
                if (!held.containsAll(cart.getValue())) {
                    Set<String> missing = new TreeSet<>(cart.getValue());
                    missing.removeAll(held);
                    return cart.getKey() + ": replica " + replica.get("node") + " lacks " + missing;
                }
            }
        }
        return null;
    }
}
