package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator CLI as operators run it, {@code java -jar dynamo-node-*.jar admin ...} in a process of
 * its own (no terminal: the password comes from {@code DYNAMO_PASSWORD}), against three node JVMs on
 * 127.0.0.1 to .3 plus a fourth: every command's output and exit status, adding the fourth node and
 * removing it again, refusals (wrong password, unknown member, a removal nobody confirmed) with the
 * node's reason on stderr, an unreachable node, and {@code --json} that parses.
 */
class AdminCliIT {

    private static final String SECRET = "admin-cli-it-secret";
    private static final int PARTITIONS = 16;
    /** The bound on each wait for the cluster: a node learning the cluster, a ring change completing. */
    private static final Duration PHASE = Duration.ofSeconds(60);
    /** The bound on one run of the CLI (a JVM start and a few requests). */
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path data;

    private final LoopbackCluster cluster = LoopbackCluster.of(4);
    private final List<NodeProcess> running = new ArrayList<>();
    private final List<KvClient> clients = new ArrayList<>();

    /** What one run of the CLI did. */
    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    @AfterEach
    void stopAll() {
        clients.forEach(KvClient::close);
        running.forEach(NodeProcess::close);
    }

    @Test
    void everyCommandAgainstARealCluster() throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            launch(i);
        }
        for (int i = 0; i < 3; i++) {
            running.get(i).awaitHealthy();
            clients.add(new KvClient(running.get(i).baseUrl()));
        }
        // node4 boots (with the seeds, not yet a member) while the CLI looks at the three others
        launch(3);
        HttpResponse<byte[]> put = clients.get(0).put("cli", "a key/with parts", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(put.statusCode()).as(KvClient.text(put)).isEqualTo(204);

        Run status = ok("status");
        assertThat(status.out()).contains("Node node1 of cluster", "health UP", "Ring version", "claimant node1",
                "No ring change under way.", "Storage on node1:").containsPattern("(No h|H)ints waiting on node1");
        for (int i = 0; i < 3; i++) {
            assertThat(status.out()).containsPattern("node" + (i + 1) + " +" + cluster.internode(i).replace(".", "\\.")
                    + " +\\S+ +UP +(self|reachable) +\\d+");
        }
        JsonNode statusJson = json(ok("--json", "status"));
        assertThat(statusJson.path("members").path("members")).hasSize(3);
        assertThat(statusJson.path("status").path("storageBytes").isNumber()).isTrue();

        Run ring = ok("ring");
        assertThat(ring.out()).contains(PARTITIONS + " partitions, 3 members, as node1 follows it",
                "OWNER  STATUS  PARTITIONS  SHARE", "PREFERENCE LIST (OWNER FIRST)");
        assertThat(ok("ring", "--all").out().lines().filter(line -> line.matches("\\d+ +node\\d .*"))).hasSize(PARTITIONS);

        assertThat(ok("members").out().lines()).hasSize(4).first().asString().startsWith("ID  ");
        Run key = ok("key", "cli", "a key/with parts");
        assertThat(key.out()).contains("cli/a key/with parts is in partition", "node1 (", "node2 (", "node3 (")
                .containsPattern("(?s)(hello.*){3}");
        assertThat(json(ok("--json", "key", "cli", "a key/with parts")).path("replicas")).hasSize(3);
        assertThat(ok("hints").out()).containsPattern("(No h|H)ints waiting on node1");
        assertThat(ok("transfers").out()).isEqualTo("No partition is being copied to node1 now.\n");

        Run wrongPassword = cli(Map.of("DYNAMO_PASSWORD", "not-the-password"), "members");
        assertThat(wrongPassword.exit()).as("%s", wrongPassword).isEqualTo(1);
        assertThat(wrongPassword.err()).contains("wrong user name or password", "(HTTP 401)");
        assertThat(wrongPassword.out()).isEmpty();
        Run nobody = cli(Map.of(), "members", "remove", "nobody", "--yes");
        assertThat(nobody.exit()).as("%s", nobody).isEqualTo(1);
        assertThat(nobody.err()).contains("no member has id 'nobody'", "(HTTP 404)");
        String closed = "http://127.0.0.1:" + NodeProcess.freePort();
        Run unreachable = cli(Map.of(), "--node", closed, "status");
        assertThat(unreachable.exit()).as("%s", unreachable).isEqualTo(3);
        assertThat(unreachable.err()).contains("could not reach the node at " + closed);

        // node4 learns the cluster from the seeds and is added through node1's CLI
        KvClient client4 = new KvClient(running.get(3).baseUrl());
        clients.add(client4);
        Poll.await("node4 learns the cluster from the seeds", PHASE, () -> {
            try {
                return JSON.readTree(client4.members().body()).path("ringVersion").isNumber() ? null : "no ring yet";
            } catch (IOException starting) {
                return "it does not answer yet: " + starting;
            }
        });
        Run add = ok("members", "add", cluster.internode(3));
        assertThat(add.out()).startsWith("node4 (" + cluster.internode(3) + ") is JOINING");
        Run transfers = ok("--node", running.get(3).baseUrl().toString(), "transfers");
        assertThat(transfers.out()).containsPattern("^(No partition is being copied to node4 now\\.|node4 copies \\d+ partitions?: )");
        Poll.await("node4 is UP on every node and the change is over", PHASE, () -> changeOver("node4", "UP"));
        assertThat(ok("status").out()).containsPattern("node4 +" + cluster.internode(3).replace(".", "\\.") + " +\\S+ +UP")
                .contains("No ring change under way.");

        Run unconfirmed = cli(Map.of(), "members", "remove", "node4");
        assertThat(unconfirmed.exit()).as("%s", unconfirmed).isEqualTo(4);
        assertThat(unconfirmed.out()).startsWith("Removing node4 moves its ");
        assertThat(unconfirmed.err()).contains("not removing node4: there is no terminal to confirm on; pass --yes");
        assertThat(changeOver("node4", "UP")).as("node4 after a removal nobody confirmed").isNull();
        Run remove = ok("members", "remove", "node4", "--yes");
        assertThat(remove.out()).startsWith("Removing node4 moves its ").contains("node4 is LEAVING");
        Poll.await("node4 is REMOVED on every original node and the change is over", PHASE,
                () -> changeOver("node4", "REMOVED"));
        System.out.printf("AdminCliIT: whole test %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** Runs the CLI against node1 and expects exit 0 and nothing on stderr. */
    private Run ok(String... args) {
        Run run = cli(Map.of(), args);
        assertThat(run.exit()).as("admin %s: %s", String.join(" ", args), run).isZero();
        assertThat(run.err()).as("admin %s: stderr", String.join(" ", args)).isEmpty();
        return run;
    }

    /**
     * Runs {@code java -jar <node jar> admin args} with node1 and the operator's credentials in its
     * environment, plus {@code env}; no terminal, its input empty.
     */
    private Run cli(Map<String, String> env, String... args) {
        // a short-lived client: C1 alone and the serial collector cost it the least CPU on a busy machine
        List<String> command = new ArrayList<>(List.of(NodeProcess.javaExecutable(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", NodeProcess.packagedJar().toString(), "admin"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(data, "cli", ".out");
            Path err = Files.createTempFile(data, "cli", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                    Path.of("/dev/null").toFile())).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> environment = builder.environment();
            environment.put("DYNAMO_NODE", running.get(0).baseUrl().toString());
            environment.put("DYNAMO_USER", NodeProcess.OPERATOR);
            environment.put("DYNAMO_PASSWORD", NodeProcess.OPERATOR_PASSWORD);
            environment.putAll(env);
            Process process = builder.start();
            if (!process.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("admin " + String.join(" ", args) + " still runs after " + CLI_TIMEOUT);
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running admin", e);
        }
    }

    private static JsonNode json(Run run) {
        return JSON.readTree(run.out());
    }

    /** Null when nodes 1 to 3 see {@code id} as {@code status} with no ring change under way; else what they see. */
    private String changeOver(String id, String status) throws Exception {
        for (KvClient client : clients.subList(0, 3)) {
            JsonNode members = JSON.readTree(client.members().body());
            Map<String, String> statuses = new HashMap<>();
            members.path("members").forEach(m -> statuses.put(m.path("id").asString(), m.path("status").asString()));
            if (!status.equals(statuses.get(id)) || !members.path("change").isNull()) {
                return client + " sees " + statuses + ", change " + members.path("change");
            }
        }
        return null;
    }

    private void launch(int i) {
        running.add(NodeProcess.launch("AdminCliIT-node" + (i + 1), cluster.host(i), cluster.httpPort(i),
                data.resolve("node" + (i + 1)), cluster.nodeArgs(i, SECRET, cluster.seeds(3),
                        "--dynamo.cluster.partitions=" + PARTITIONS, "--dynamo.gossip.interval=200ms",
                        "--dynamo.handoff.interval=200ms", "--dynamo.transfer.max-foreground-latency=0")));
    }
}
