package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.client.ConditionFailedException;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.client.SiblingResolver;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Value;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small Spring application with only the starter and {@code dynamo.client.seeds} autowires a
 * {@link DynamoClient} and uses a real three-node cluster (three JVMs on 127.0.0.1-3, N=3 R=2 W=2):
 * concurrent read-modify-writes of one shopping cart lose no item, and with one node killed the client
 * falls back to the others for reads and writes.
 */
class StarterIT {

    private static final String SECRET = "starter-it-secret";
    private static final SiblingResolver CART_UNION = siblings -> {
        TreeSet<String> items = new TreeSet<>();
        siblings.forEach(v -> items.addAll(Arrays.asList(v.asText().split(","))));
        items.remove("");
        return Value.text(String.join(",", items));
    };

    /** The application: nothing of its own, only what auto-configuration makes from the properties. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class CartApplication {
    }

    @TempDir
    Path data;

    private final List<NodeProcess> running = new ArrayList<>();
    private ConfigurableApplicationContext application;

    @AfterEach
    void stopAll() {
        if (application != null) {
            application.close();
        }
        running.forEach(NodeProcess::close);
    }

    @Test
    void anApplicationWithOnlyTheStarterUsesTheClusterThroughANodeFailure() {
        LoopbackCluster cluster = LoopbackCluster.of(3);
        for (int i = 0; i < 3; i++) {
            running.add(NodeProcess.launch("StarterIT-node" + (i + 1), cluster.host(i), cluster.httpPort(i),
                    data.resolve("node" + i), cluster.nodeArgs(i, SECRET, cluster.seeds(3))));
        }
        running.forEach(NodeProcess::awaitHealthy);

        application = new SpringApplicationBuilder(CartApplication.class).web(WebApplicationType.NONE)
                .run("--dynamo.client.seeds=" + cluster.internode(0), "--spring.main.banner-mode=off");
        DynamoClient client = application.getBean(DynamoClient.class);
        assertThat(client).isInstanceOf(NettyDynamoClient.class);
        HealthIndicator health = application.getBean("dynamoHealthIndicator", HealthIndicator.class);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("members", 3);

        List<CompletableFuture<Void>> shoppers = IntStream.range(0, 2).mapToObj(shopper -> CompletableFuture.runAsync(
                () -> IntStream.range(0, 10).forEach(item -> client.update("carts", bytes("shared"), CART_UNION,
                        cart -> Value.text((cart == null ? "" : cart.asText()) + ",s" + shopper + "-" + item)))))
                .toList();
        shoppers.forEach(CompletableFuture::join);
        assertThat(client.getResolved("carts", bytes("shared"), CART_UNION).value().asText().split(","))
                .as("every item of both shoppers").hasSize(20);

        client.putIfAbsent("carts", "unique", Value.text("first"));
        assertThatThrownBy(() -> client.putIfAbsent("carts", "unique", Value.text("second")))
                .isInstanceOf(ConditionFailedException.class);
        client.put("carts", "short-lived", Value.text("x"), CausalContext.NONE, Duration.ofSeconds(3));
        assertThat(client.get("carts", "short-lived").isFound()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (client.get("carts", "short-lived").isFound()) { // bounded poll: it expires 3 s after the write
            assertThat(System.nanoTime()).as("expired within 15 s").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(client.get("carts", "unique").value().asText()).isEqualTo("first");

        for (int k = 0; k < 20; k++) {
            client.put("carts", "before-" + k, Value.text("v" + k), CausalContext.NONE);
        }
        running.get(2).kill();
        for (int k = 0; k < 20; k++) {
            assertThat(client.get("carts", "before-" + k).value().asText()).isEqualTo("v" + k);
            client.put("carts", "during-" + k, Value.text("w" + k), CausalContext.NONE);
            assertThat(client.get("carts", "during-" + k).value().asText()).isEqualTo("w" + k);
        }
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        // listed with a node down: its partitions come from the other replicas
        List<String> expected = new ArrayList<>(List.of("shared", "unique"));
        IntStream.range(0, 20).forEach(k -> expected.addAll(List.of("before-" + k, "during-" + k)));
        Collections.sort(expected);
        assertThat(client.keysAsText("carts").toList()).isEqualTo(expected);
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
