package dev.dynamo.test.cart;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.SiblingResolver;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** The README's cart service ("Using Dynamo from Spring"), word for word. */
@Service
class Carts {
    // a cart is comma-separated item ids; the merge of concurrent carts is their union (a deleted
    // item can come back, as in the paper)
    static final SiblingResolver UNION = siblings -> Value.text(siblings.stream()
            .flatMap(v -> Arrays.stream(v.asText().split(","))).filter(s -> !s.isEmpty())
            .distinct().sorted().collect(Collectors.joining(",")));

    private final DynamoClient dynamo;

    Carts(DynamoClient dynamo) { this.dynamo = dynamo; }

    void add(String user, String item) {   // read, resolve siblings, change, write back with the context
        dynamo.update("carts", user.getBytes(UTF_8), UNION,
                cart -> Value.text(cart == null ? item : cart.asText() + "," + item));
    }

    List<String> items(String user) {
        ReadResult cart = dynamo.getResolved("carts", user.getBytes(UTF_8), UNION); // merges and writes back
        return cart.isFound() ? List.of(cart.value().asText().split(",")) : List.of();
    }
}
