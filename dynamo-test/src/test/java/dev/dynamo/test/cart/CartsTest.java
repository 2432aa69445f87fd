package dev.dynamo.test.cart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.test.DynamoTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The README's test of its cart service: a real three-node cluster from {@code @DynamoTest}, the application's
 * {@code DynamoClient} pointed at it with no properties of its own.
 */
@DynamoTest(nodes = 3)
@SpringBootTest
class CartsTest {

    @Autowired
    Carts carts;

    @Test
    void itemsAddedAtOnceByTwoShoppersAreAllInTheCart() {
        List<CompletableFuture<Void>> shoppers = IntStream.range(0, 2).mapToObj(shopper -> CompletableFuture.runAsync(
                () -> IntStream.range(0, 5).forEach(item -> carts.add("ann", "s" + shopper + "-" + item))))
                .toList();
        shoppers.forEach(CompletableFuture::join);

        assertThat(carts.items("ann")).containsExactlyInAnyOrder("s0-0", "s0-1", "s0-2", "s0-3", "s0-4",
                "s1-0", "s1-1", "s1-2", "s1-3", "s1-4");
        assertThat(carts.items("bob")).isEmpty();
    }
}
