package dev.dynamo.node.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.DynamoNodeApplication;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.it.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real nodes in this JVM on loopback, gossiping over the authenticated transport: two seeds that
 * list each other form one cluster; a node outside its seed list, and one that lists itself among
 * seeds that already formed, learn that cluster by gossip but are no members: they serve no data.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterFormationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static String seeds;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void formTwoSeeds() throws Exception {
        int portA = NodeProcess.freePort();
        int portB = NodeProcess.freePort();
        seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
        a = start("a", portA, seeds);
        b = start("b", portB, seeds);
        awaitJson(a, "/actuator/health", 200, json -> true);
        awaitJson(b, "/actuator/health", 200, json -> true);
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void theSeedsFormOneClusterInWhichBothAreUpAndReachable() throws Exception {
        String ring = awaitJson(a, "/actuator/ring", 200, json -> JsonPath.<List<String>>read(json,
                "$.members[?(@.id == 'b')].reachability").equals(List.of("reachable")));
        assertThat(JsonPath.<Boolean>read(ring, "$.member")).isTrue();
        assertThat(JsonPath.<List<String>>read(ring, "$.members[*].status")).containsExactly("up", "up");
        assertThat(JsonPath.<List<String>>read(ring, "$.members[?(@.id == 'a')].reachability")).containsExactly("self");
        assertThat(JsonPath.<String>read(get(b, "/actuator/ring").body(), "$.cluster"))
                .isEqualTo(JsonPath.<String>read(ring, "$.cluster")).isNotEmpty();
    }

    @Test
    void aNodeOutsideItsSeedListLearnsTheClusterButServesNoData(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext stranger = start("c", NodeProcess.freePort(), seeds);
        assertNotAMemberOfTheSeedsCluster(stranger);
        assertThat(output.getAll()).contains("is not among its seeds").contains("it serves no data until an operator adds it");
    }

    @Test
    void aNodeListingItselfAmongSeedsThatAlreadyFormedFollowsTheirClusterWithoutJoiningIt() throws Exception {
        int port = NodeProcess.freePort();
        ConfigurableApplicationContext late = start("d", port, seeds + ",127.0.0.1:" + port);
        assertNotAMemberOfTheSeedsCluster(late);
    }

    private static void assertNotAMemberOfTheSeedsCluster(ConfigurableApplicationContext node) throws Exception {
        String cluster = JsonPath.read(get(a, "/actuator/ring").body(), "$.cluster");
        String ring = awaitJson(node, "/actuator/ring", 200, json -> cluster.equals(JsonPath.read(json, "$.cluster")));
        assertThat(JsonPath.<Boolean>read(ring, "$.formed")).isTrue();
        assertThat(JsonPath.<Boolean>read(ring, "$.member")).isFalse();
        assertThat(JsonPath.<List<String>>read(ring, "$.members[*].id")).containsExactly("a", "b");

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri(node, "/kv/demo/k"))
                .PUT(HttpRequest.BodyPublishers.ofString("v")).build(), BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(503);
        assertThat(put.body()).contains("not a member of the cluster yet");
        HttpResponse<String> health = get(node, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("not a member of the cluster yet");
        assertThat(JsonPath.<List<String>>read(get(a, "/actuator/ring").body(), "$.members[*].id"))
                .as("the seeds' view").containsExactly("a", "b");
    }

    private static ConfigurableApplicationContext start(String id, int transportPort, String seedList) {
        ConfigurableApplicationContext node = new SpringApplicationBuilder(DynamoNodeApplication.class).run(
                "--server.port=0", "--dynamo.node.id=" + id, "--dynamo.storage.engine=memory",
                "--dynamo.transport.port=" + transportPort, "--dynamo.cluster.seeds=" + seedList,
                "--dynamo.cluster.secret=formation-test-secret", "--dynamo.cluster.partitions=16",
                "--dynamo.gossip.interval=200ms", "--logging.level.root=WARN",
                "--spring.security.user.name=" + LocalNode.OPERATOR,
                "--spring.security.user.password=" + LocalNode.OPERATOR_PASSWORD);
        nodes.add(node);
        return node;
    }

    /** Polls {@code path} until it answers {@code status} with a body {@code done} accepts; returns that body. */
    private static String awaitJson(ConfigurableApplicationContext node, String path, int status, Predicate<String> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() - deadline < 0) {
            last = get(node, path);
            if (last.statusCode() == status && done.test(last.body())) {
                return last.body();
            }
            Thread.sleep(50); // polling HTTP: there is no event to wait on
        }
        throw new AssertionError("no " + status + " from " + path + " within " + WAIT + "; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext node, String path) throws Exception {
        String operator = LocalNode.OPERATOR + ":" + LocalNode.OPERATOR_PASSWORD;
        return http.send(HttpRequest.newBuilder(uri(node, path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(operator.getBytes(StandardCharsets.UTF_8)))
                .build(), BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext node, String path) {
        return URI.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port") + path);
    }
}
