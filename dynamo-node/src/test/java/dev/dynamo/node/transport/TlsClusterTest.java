package dev.dynamo.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.DynamoNodeApplication;
import dev.dynamo.node.it.KvClient;
import dev.dynamo.node.it.NodeProcess;
import dev.dynamo.node.it.Poll;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three real nodes in this JVM forming a cluster over mutual TLS ({@code mode=required}), each with its own
 * certificate from the cluster's CA: writes replicate to every replica. A fourth node whose certificate
 * comes from another CA, holding the cluster secret and listing the same seeds, never gets in.
 */
class TlsClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static final List<KvClient> clients = new ArrayList<>();
    private static String seeds;
    private static TestCertificates.Authority cluster;

    @BeforeAll
    static void formOverTls() throws Exception {
        cluster = TestCertificates.authority(dir, "cluster-ca");
        List<Integer> ports = IntStream.range(0, 3).mapToObj(i -> NodeProcess.freePort()).toList();
        seeds = String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
        for (int i = 0; i < 3; i++) {
            clients.add(start("node-" + i, ports.get(i), cluster.issue("node-" + i)));
        }
        for (KvClient client : clients) {
            Poll.await("the cluster formed over TLS", WAIT, () -> client.isHealthy() ? null : "not healthy yet");
        }
    }

    @AfterAll
    static void stop() {
        clients.forEach(KvClient::close);
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void writesReachEveryReplicaOverMutualTls() throws Exception {
        assertThat(clients.getFirst().put("tls", "k", "over tls".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(204);
        for (KvClient client : clients) {
            Poll.await("every replica holds the write", WAIT, () -> client.replicasHold("tls", "k", "over tls"));
        }
    }

    @Test
    void aNodeWithACertificateFromAnotherCaNeverJoins() throws Exception {
        TestCertificates.Authority other = TestCertificates.authority(Files.createDirectories(dir.resolve("other")),
                "other-ca");
        KvClient intruder = start("intruder", NodeProcess.freePort(), other.issue("intruder"));
        // it holds the secret and lists the seeds: only TLS keeps it from learning the cluster by gossip (as a
        // node outside its seed list otherwise would); give gossip many rounds to let it in
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() - deadline < 0) {
            String seen = new String(intruder.ring().body(), StandardCharsets.UTF_8);
            assertThat(JsonPath.<List<String>>read(seen, "$.members[*].id")).as("members the intruder learned")
                    .doesNotContain("node-0", "node-1", "node-2");
            Thread.sleep(250); // nothing happens that an event could tell us: we watch that nothing does
        }
        String ring = new String(clients.getFirst().ring().body(), StandardCharsets.UTF_8);
        assertThat(JsonPath.<List<String>>read(ring, "$.members[*].id"))
                .containsExactlyInAnyOrder("node-0", "node-1", "node-2");
    }

    private static KvClient start(String id, int transportPort, TestCertificates.Issued certificate) {
        ConfigurableApplicationContext node = new SpringApplicationBuilder(DynamoNodeApplication.class).run(
                "--server.port=0", "--dynamo.node.id=" + id, "--dynamo.storage.engine=memory",
                "--dynamo.transport.port=" + transportPort, "--dynamo.cluster.seeds=" + seeds,
                "--dynamo.cluster.secret=tls-cluster-test-secret", "--dynamo.cluster.partitions=16",
                "--dynamo.gossip.interval=200ms", "--logging.level.root=WARN",
                "--spring.ssl.bundle.pem.node.keystore.certificate=" + certificate.certificate().toUri(),
                "--spring.ssl.bundle.pem.node.keystore.private-key=" + certificate.key().toUri(),
                "--spring.ssl.bundle.pem.node.truststore.certificate=" + certificate.authority().certificate().toUri(),
                "--dynamo.transport.ssl.mode=required", "--dynamo.transport.ssl.bundle=node",
                "--spring.security.user.name=" + NodeProcess.OPERATOR,
                "--spring.security.user.password=" + NodeProcess.OPERATOR_PASSWORD);
        nodes.add(node);
        return new KvClient(URI.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port")));
    }
}
