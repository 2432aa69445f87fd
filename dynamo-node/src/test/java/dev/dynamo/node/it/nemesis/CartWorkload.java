package dev.dynamo.node.it.nemesis;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.it.KvClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Jepsen's set workload as Dynamo's shopping carts, over the HTTP API: each client, again and
 * again, picks a node and a cart at random, reads the cart (merging siblings by union), adds an
 * element of its own that no one else ever adds, and writes the set back with the read's
 * {@code X-Dynamo-Context}. The {@link CartChecker} then asks that every acknowledged element is in
 * the cart in the end.
 */
final class CartWorkload extends Workload<KvClient> {

    /** {@code carts} carts named {@code <prefix>-cart<k>} in {@code bucket}, through {@code nodes}. */
    CartWorkload(String bucket, String prefix, int carts, List<KvClient> nodes, long seed) {
        super("cart", bucket, named(prefix + "-cart", carts), nodes, seed);
    }

    @Override
    Attempt attempt(int client, long n, KvClient node, SplittableRandom random) throws InterruptedException {
        String cart = keys().get(random.nextInt(keys().size()));
        String element = "c" + client + "." + n;
        try {
            HttpResponse<byte[]> read = node.getAcceptingJson(bucket(), cart);
            if (!isRead(read)) {
                return new Attempt("add", cart, element, Set.of(), Outcome.FAILED, "read " + KvClient.text(read));
            }
            Set<String> items = new TreeSet<>(union(read));
            Set<String> observed = Set.copyOf(items);
            items.add(element);
            byte[] value = String.join(",", items).getBytes(StandardCharsets.UTF_8);
            String context = read.headers().firstValue("X-Dynamo-Context").orElse(null);
            HttpResponse<byte[]> write = context == null ? node.put(bucket(), cart, value)
                    : node.put(bucket(), cart, value, context);
            return write.statusCode() == 204 ? new Attempt("add", cart, element, observed, Outcome.OK, "")
                    : new Attempt("add", cart, element, observed, Outcome.FAILED, "write " + KvClient.text(write));
        } catch (ConnectException refused) { // nothing was sent: a clear failure
            return new Attempt("add", cart, element, Set.of(), Outcome.FAILED, refused.toString());
        } catch (IOException e) {
            return new Attempt("add", cart, element, Set.of(), Outcome.UNKNOWN, e.toString());
        }
    }

    /** Whether a GET answered with the key's state (a value, siblings, or absent) rather than an error. */
    static boolean isRead(HttpResponse<byte[]> read) {
        return read.statusCode() == 200 || read.statusCode() == 300 || read.statusCode() == 404;
    }

    /** The values a read answered, as sets of elements: the value, each sibling on 300, none on 404. */
    static List<Set<String>> values(HttpResponse<byte[]> read) {
        return switch (read.statusCode()) {
            case 200 -> List.of(elements(read.body()));
            case 300 -> JsonPath.<List<String>>read(new String(read.body(), StandardCharsets.UTF_8),
                    "$.siblings[*].value").stream().map(v -> elements(Base64.getDecoder().decode(v))).toList();
            case 404 -> List.of();
            default -> throw new IllegalArgumentException("not a read answer: " + KvClient.text(read));
        };
    }

    /** The elements of a cart as a read answered it: the union of its values. */
    static Set<String> union(HttpResponse<byte[]> read) {
        return values(read).stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> elements(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        return text.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(text.split(",")));
    }
}
