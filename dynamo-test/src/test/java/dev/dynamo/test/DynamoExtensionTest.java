package dev.dynamo.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.client.DynamoClient;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Value;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @ExtendWith(DynamoExtension.class)} without Spring: the default cluster (one node, in memory) comes as
 * a parameter, serves data through a client, and its nodes' HTTP side takes the operator account; every class
 * asking for the same cluster gets the same one.
 */
@ExtendWith(DynamoExtension.class)
class DynamoExtensionTest {

    @Test
    void aParameterGetsARunningClusterThatStoresWhatAClientWrites(DynamoCluster cluster) {
        try (DynamoClient client = cluster.newClient()) {
            client.put("extension", "k", Value.text("v"), CausalContext.NONE);
            assertThat(client.get("extension", "k").value().asText()).isEqualTo("v");
        }
        assertThat(cluster.seeds()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(health(cluster, cluster.httpUrls().getFirst())).contains("\"engine\":\"memory\"");
        assertThat(cluster.startupTime()).isPositive();
    }

    @Test
    void classesAskingForTheSameClusterShareIt(DynamoCluster cluster) {
        assertThat(DynamoCluster.shared(ClusterSpec.DEFAULT)).isSameAs(cluster);
    }

    @Nested
    class InANestedClass {
        @Test
        void aNestedClassGetsTheClusterOfItsEnclosingOne(DynamoCluster cluster) {
            assertThat(cluster).isSameAs(DynamoCluster.shared(ClusterSpec.DEFAULT));
        }
    }

    /** The node's health with details, which only the operator account sees. */
    static String health(DynamoCluster cluster, URI node) {
        String basic = Base64.getEncoder().encodeToString((DynamoCluster.OPERATOR + ":" + cluster.operatorPassword())
                .getBytes(UTF_8));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("/actuator/health"))
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new AssertionError("GET " + node + "/actuator/health failed", e);
        }
    }
}
