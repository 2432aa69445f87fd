package dev.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The sibling resolver and read-modify-write helpers, against a one-key store with Dynamo's write rule. */
class ConflictHelpersTest {

    /** Shopping carts: comma-separated items; the merge is the union, as in the paper. */
    private static final SiblingResolver UNION = siblings -> {
        TreeSet<String> items = new TreeSet<>();
        siblings.forEach(v -> items.addAll(Arrays.asList(v.asText().split(","))));
        items.remove("");
        return Value.text(String.join(",", items));
    };

    /**
     * One key: a write whose context saw every write so far replaces the values, any other adds a sibling.
     * {@code racers} writes by others land just before the next puts, one per put.
     */
    private static final class OneKeyStore extends FakeDynamoClient {
        final List<Value> values = new ArrayList<>();
        final List<Value> racers = new ArrayList<>();
        int writes;
        int puts;

        @Override
        public CompletableFuture<ReadResult> getAsync(String bucket, byte[] key, int r) {
            return CompletableFuture.completedFuture(new ReadResult(values, new CausalContext("w" + writes)));
        }

        @Override
        public CompletableFuture<WriteResult> putAsync(String bucket, byte[] key, Value value, CausalContext context,
                int w, Duration ttl) {
            puts++;
            if (!racers.isEmpty()) {
                values.add(racers.removeFirst());
                writes++;
            }
            if (context.token().equals("w" + writes)) {
                values.clear();
            }
            values.add(value);
            writes++;
            return CompletableFuture.completedFuture(new WriteResult(new CausalContext("w" + writes), values.size()));
        }
    }

    private static final byte[] CART = {1};

    @Test
    void siblingsAreMergedAndWrittenBackWithTheContextCoveringThem() {
        OneKeyStore store = new OneKeyStore();
        store.put("carts", CART, Value.text("milk"), CausalContext.NONE);
        store.put("carts", CART, Value.text("eggs"), CausalContext.NONE);
        assertThat(store.values).hasSize(2);

        ReadResult resolved = store.getResolved("carts", CART, UNION);

        assertThat(resolved.value().asText()).isEqualTo("eggs,milk");
        assertThat(store.values).containsExactly(Value.text("eggs,milk"));
        assertThat(resolved.context()).isEqualTo(store.get("carts", CART).context());
    }

    @Test
    void aSingleValueIsNotWrittenBack() {
        OneKeyStore store = new OneKeyStore();
        store.put("carts", CART, Value.text("milk"), CausalContext.NONE);
        store.getResolved("carts", CART, UNION);
        assertThat(store.puts).isEqualTo(1);
    }

    @Test
    void anUpdateRacingAnotherWriterKeepsBothChangesAndAppliesItsOwnOnce() {
        OneKeyStore store = new OneKeyStore();
        store.put("carts", CART, Value.text("milk"), CausalContext.NONE);
        store.racers.add(Value.text("milk,bread"));

        Value after = store.update("carts", CART, UNION, cart -> Value.text(cart.asText() + ",eggs"));

        assertThat(after.asText()).isEqualTo("bread,eggs,milk");
        assertThat(store.values).containsExactly(Value.text("bread,eggs,milk"));
        assertThat(store.puts).as("the update, then one merge").isEqualTo(3);
    }

    @Test
    void anUpdateOfAnAbsentKeyStartsFromNull() {
        OneKeyStore store = new OneKeyStore();
        Value after = store.update("carts", CART, UNION, cart -> Value.text(cart == null ? "first" : "not first"));
        assertThat(after.asText()).isEqualTo("first");
    }

    @Test
    void mergesThatKeepRacingGiveUpWithAClearError() {
        OneKeyStore store = new OneKeyStore();
        store.put("carts", CART, Value.text("a"), CausalContext.NONE);
        store.put("carts", CART, Value.text("b"), CausalContext.NONE);
        for (int i = 0; i < DynamoClient.RESOLVE_ATTEMPTS; i++) {
            store.racers.add(Value.text("racer" + i));
        }
        assertThatThrownBy(() -> store.getResolved("carts", CART, UNION)).isInstanceOf(DynamoException.class)
                .hasMessageContaining("kept reappearing");
    }
}
