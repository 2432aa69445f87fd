package dev.dynamo.node.it.nemesis;

import dev.dynamo.node.it.KvClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Deletes and re-adds across faults, for tombstone reaping: each client owns some keys (so each key's
 * history is sequential) and, again and again, reads one of them through a random node: if it holds
 * a value, deletes it with the read's context; if it is absent, writes a new unique value with the
 * read's context. {@link #check} then asks that no value an acknowledged delete had seen comes back,
 * and that a key whose last attempt was an acknowledged write holds that value.
 */
final class DeleteWorkload extends Workload<KvClient> {

    private final int clients;

    DeleteWorkload(String bucket, String prefix, int keys, int clients, List<KvClient> nodes, long seed) {
        super("delete", bucket, named(prefix + "-reg", keys), nodes, seed);
        this.clients = clients;
    }

    @Override
    Attempt attempt(int client, long n, KvClient node, SplittableRandom random) throws InterruptedException {
        List<String> own = IntStream.range(0, keys().size()).filter(k -> k % clients == client).mapToObj(keys()::get)
                .toList();
        String key = own.get(random.nextInt(own.size()));
        String element = "c" + client + "." + n;
        try {
            HttpResponse<byte[]> read = node.getAcceptingJson(bucket(), key);
            if (!CartWorkload.isRead(read)) {
                return new Attempt("read", key, null, Set.of(), Outcome.FAILED, "read " + KvClient.text(read));
            }
            Set<String> observed = CartWorkload.union(read);
            String context = read.headers().firstValue("X-Dynamo-Context").orElse(null);
            if (!observed.isEmpty()) {
                HttpResponse<byte[]> delete = node.delete(bucket(), key, context);
                return new Attempt("delete", key, null, observed, delete.statusCode() == 204 ? Outcome.OK
                        : Outcome.FAILED, delete.statusCode() == 204 ? "" : "delete " + KvClient.text(delete));
            }
            byte[] value = element.getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> write = context == null ? node.put(bucket(), key, value)
                    : node.put(bucket(), key, value, context);
            return new Attempt("add", key, element, observed, write.statusCode() == 204 ? Outcome.OK : Outcome.FAILED,
                    write.statusCode() == 204 ? "" : "write " + KvClient.text(write));
        } catch (ConnectException refused) { // nothing was sent: a clear failure
            return new Attempt("?", key, element, Set.of(), Outcome.FAILED, refused.toString());
        } catch (IOException e) {
            return new Attempt("?", key, element, Set.of(), Outcome.UNKNOWN, e.toString());
        }
    }

    /**
     * Reads every key once and lists the violations: a value an acknowledged delete had seen, read
     * again (a deleted value returned), or a key whose last attempt was an acknowledged write not
     * holding its value (a re-add lost). Also counts the keys read absent.
     */
    Check check(List<KvClient> nodes) throws IOException, InterruptedException {
        Map<String, List<Op>> byKey = new TreeMap<>();
        for (Op op : history()) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        List<String> violations = new ArrayList<>();
        int absent = 0;
        int i = 0;
        for (String key : keys()) {
            HttpResponse<byte[]> read = nodes.get(i++ % nodes.size()).getAcceptingJson(bucket(), key);
            if (!CartWorkload.isRead(read)) {
                violations.add(key + ": final read failed: " + KvClient.text(read));
                continue;
            }
            Set<String> present = CartWorkload.union(read);
            absent += present.isEmpty() ? 1 : 0;
            List<Op> ops = byKey.getOrDefault(key, List.of()).stream().filter(op -> !op.kind().equals("read")).toList();
            Set<String> deleted = new TreeSet<>();
            ops.stream().filter(op -> op.kind().equals("delete") && op.outcome() == Outcome.OK)
                    .forEach(op -> deleted.addAll(op.observed()));
            Set<String> returned = new TreeSet<>(present);
            returned.retainAll(deleted);
            if (!returned.isEmpty()) {
                violations.add(key + ": deleted value(s) " + returned + " returned");
            }
            if (!ops.isEmpty()) {
                Op last = ops.get(ops.size() - 1);
                if (last.kind().equals("add") && last.outcome() == Outcome.OK && !present.contains(last.element())) {
                    violations.add(key + ": re-added value " + last.element() + " lost; read " + present);
                }
            }
        }
        return new Check(violations, absent, keys().size());
    }

    /** What {@link #check} found. */
    record Check(List<String> violations, int absent, int keys) {
    }
}
