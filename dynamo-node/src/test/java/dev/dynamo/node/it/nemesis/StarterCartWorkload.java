package dev.dynamo.node.it.nemesis;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.DynamoException;
import dev.dynamo.client.DynamoUnavailableException;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The {@link CartWorkload}'s carts through the starter's {@link DynamoClient} on the nodes' binary
 * port, as an application uses it: one client for all threads, routing each request to its key's
 * replicas by itself. Each attempt reads a cart, adds an element of its own to the union of its
 * siblings and writes that back with the read's context; {@link CartChecker} checks the history.
 */
final class StarterCartWorkload extends Workload<DynamoClient> {

    StarterCartWorkload(String bucket, List<String> carts, DynamoClient client, long seed) {
        super("starter-cart", bucket, carts, List.of(client), seed);
    }

    @Override
    Attempt attempt(int client, long n, DynamoClient dynamo, SplittableRandom random) {
        String cart = keys().get(random.nextInt(keys().size()));
        String element = "c" + client + "." + n;
        ReadResult read;
        try {
            read = dynamo.get(bucket(), cart);
        } catch (DynamoException e) { // nothing was written
            return new Attempt("add", cart, element, Set.of(), Outcome.FAILED, "read " + e);
        }
        Set<String> items = new TreeSet<>();
        read.siblings().forEach(v -> items.addAll(CartWorkload.elements(v.bytes())));
        Set<String> observed = Set.copyOf(items);
        items.add(element);
        try {
            dynamo.put(bucket(), cart, Value.text(String.join(",", items)), read.context());
            return new Attempt("add", cart, element, observed, Outcome.OK, "");
        } catch (DynamoUnavailableException e) { // no answer in time, or the connection lost: it may be stored
            return new Attempt("add", cart, element, observed, Outcome.UNKNOWN, e.toString());
        } catch (DynamoException e) {
            return new Attempt("add", cart, element, observed, Outcome.FAILED, e.toString());
        }
    }
}
