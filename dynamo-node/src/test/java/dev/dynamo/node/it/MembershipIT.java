package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import dev.dynamo.node.it.BackgroundWriter.Acked;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Join and leave with data under a running writer, in four JVMs on 127.0.0.1 to .4 (N=3, R=2,
 * W=2, Q=64): a fourth node that is not among the seeds is added through the admin API of another
 * and ends up owning a quarter of the partitions, taken from the others with minimal movement;
 * then one of the original nodes (the claimant) is removed. Through both changes a writer keeps
 * writing new keys and updating old ones with their contexts: it sees next to no errors, every
 * write it got acknowledged reads back (through all the nodes, each key through one), and every key
 * of a sample has its latest value on all N replicas of the new ring. Bad membership requests get
 * problem documents and change nothing; repeated ones are answered alike.
 */
class MembershipIT {

    private static final String BUCKET = "members";
    private static final String SECRET = "membership-it-secret";
    private static final int PARTITIONS = 64;
    private static final int INITIAL_KEYS = 300;
    /** The bound on each wait: for a change to complete, for replicas to converge. */
    private static final Duration PHASE = Duration.ofSeconds(90);
    /** Writes each writer makes after its change is over (through the new ring), before it stops. */
    private static final int WRITES_AFTER_CHANGE = 100;
    /**
     * Keys whose replicas are inspected one by one after each change, spread over all keys: each
     * inspection is an operator request, and HTTP Basic checks the password with bcrypt (tens of ms).
     */
    private static final int REPLICA_SAMPLE = 150;
    /** The writer may see this share of its writes fail during one change, or this many, whichever is more. */
    private static final double TOLERATED_ERROR_SHARE = 0.02;
    private static final int TOLERATED_ERRORS = 5;
    private static final Configuration JSON = Configuration.defaultConfiguration()
            .addOptions(Option.DEFAULT_PATH_LEAF_TO_NULL);

    @TempDir
    Path data;

    private final List<NodeProcess> running = new ArrayList<>();
    private final KvClient[] clients = new KvClient[4];
    private final LoopbackCluster cluster = LoopbackCluster.of(4);
    private final Map<String, Acked> acked = new ConcurrentHashMap<>();
    private final Map<String, String> uncertain = new ConcurrentHashMap<>();
    private final List<String> report = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (KvClient client : clients) {
            if (client != null) {
                client.close();
            }
        }
        running.forEach(NodeProcess::close);
        report.forEach(line -> System.out.println("MembershipIT: " + line));
    }

    @Test
    void aFourthNodeJoinsAndAnOriginalOneLeavesUnderWrites() throws Exception {
        long started = System.nanoTime();
        String seeds = cluster.seeds(3);
        NodeProcess[] nodes = new NodeProcess[4];
        for (int i = 0; i < 3; i++) {
            nodes[i] = launch(i, seeds);
        }
        for (int i = 0; i < 3; i++) {
            nodes[i].awaitHealthy();
            clients[i] = new KvClient(nodes[i].baseUrl());
        }
        badRequestsChangeNothing(clients[0]);
        writeInitialKeys();
        List<String> ownersBefore = owners(clients[0]);
        lap("3 nodes formed, bad requests refused, " + INITIAL_KEYS + " keys written", started);

        // Join: the writer runs from before the fourth node starts until after it serves.
        long joinStarted = System.nanoTime();
        BackgroundWriter joinWriter = new BackgroundWriter(BUCKET, "join-", acked, uncertain,
                List.of(clients[0], clients[1], clients[2]), 4);
        joinWriter.start();
        try {
            nodes[3] = launch(3, seeds);
            clients[3] = new KvClient(nodes[3].baseUrl());
            await("node4 learns the cluster from the seeds", () -> {
                try {
                    Object ringVersion = json(clients[3].members()).read("$.ringVersion", Object.class);
                    return ringVersion != null ? null : "it has no ring yet";
                } catch (IOException starting) {
                    return "it does not answer yet: " + starting;
                }
            });
            HttpResponse<byte[]> early = clients[3].get(BUCKET, "k0");
            assertThat(early.statusCode()).as("a read through a node not yet added: %s", KvClient.text(early))
                    .isEqualTo(503);

            HttpResponse<byte[]> join = clients[0].addMember("{\"address\": \"" + cluster.internode(3) + "\"}");
            assertThat(join.statusCode()).as("POST members: %s", KvClient.text(join)).isEqualTo(202);
            assertThat(json(join).read("$.id", String.class)).isEqualTo("node4");
            assertThat(json(join).read("$.status", String.class)).isEqualTo("JOINING");
            HttpResponse<byte[]> again = clients[1].addMember("{\"address\": \"" + cluster.internode(3) + "\"}");
            assertThat(again.statusCode()).as("POST members again, on another node: %s", KvClient.text(again))
                    .isEqualTo(202);
            assertThat(json(again).read("$.id", String.class)).isEqualTo("node4");
            assertThat(json(again).read("$.status", String.class)).isIn("JOINING", "UP");

            await("node4 is UP on every node and the change is over",
                    () -> changeOver(List.of(clients), Map.of("node4", "UP")));
            lap("join: POST to node4 UP everywhere", joinStarted);
            assertThat(clients[3].isHealthy()).as("node4 healthy once a member").isTrue();

            joinWriter.writeThrough(List.of(clients));
            awaitWrites(joinWriter);
        } finally {
            joinWriter.stop();
        }
        checkErrors("join", joinWriter);

        List<String> ownersAfter = owners(clients[0]);
        for (KvClient client : clients) {
            assertThat(owners(client)).as("owners as %s sees them", client).isEqualTo(ownersAfter);
        }
        long owned = ownersAfter.stream().filter("node4"::equals).count();
        long moved = IntStream.range(0, PARTITIONS).filter(p -> !ownersBefore.get(p).equals(ownersAfter.get(p))).count();
        report.add("join: node4 owns " + owned + " of " + PARTITIONS + " partitions; " + moved + " changed owner; node4 pulled "
                + pulledPartitions(nodes[3]) + " partitions (its share as a replica, N=3)");
        assertThat(owned).as("partitions node4 owns").isBetween(PARTITIONS / 4L - 2, PARTITIONS / 4L + 2);
        assertThat(moved).as("partitions whose owner changed").isBetween(owned, owned + 2);

        long checkStarted = System.nanoTime();
        readBack(List.of(clients));
        awaitOnAllReplicas(clients[0], sample(REPLICA_SAMPLE));
        lap("join: every key read back through the 4 nodes, " + REPLICA_SAMPLE + " keys on all 3 replicas", checkStarted);

        // Leave: node1, the claimant, goes; the writer writes through the others.
        long leaveStarted = System.nanoTime();
        List<KvClient> staying = List.of(clients[1], clients[2], clients[3]);
        BackgroundWriter leaveWriter = new BackgroundWriter(BUCKET, "leave-", acked, uncertain, staying, 5);
        leaveWriter.start();
        try {
            HttpResponse<byte[]> leave = clients[1].removeMember("node1");
            assertThat(leave.statusCode()).as("DELETE members/node1: %s", KvClient.text(leave)).isEqualTo(202);
            assertThat(json(leave).read("$.status", String.class)).isEqualTo("LEAVING");
            HttpResponse<byte[]> again = clients[2].removeMember("node1");
            assertThat(again.statusCode()).as("DELETE members/node1 again: %s", KvClient.text(again)).isEqualTo(202);
            assertThat(json(again).read("$.status", String.class)).isIn("LEAVING", "REMOVED");

            await("node1 is REMOVED on the other nodes and the change is over",
                    () -> changeOver(staying, Map.of("node1", "REMOVED", "node4", "UP")));
            lap("leave: DELETE to node1 REMOVED everywhere", leaveStarted);
            awaitWrites(leaveWriter);
        } finally {
            leaveWriter.stop();
        }
        checkErrors("leave", leaveWriter);
        await("node1 serves no data any more", () -> {
            HttpResponse<byte[]> read = clients[0].get(BUCKET, "k0");
            return read.statusCode() == 503 ? null : KvClient.text(read);
        });
        assertThat(clients[0].isHealthy()).as("node1 healthy once removed").isFalse();
        nodes[0].stop();
        List<List<String>> preferenceLists = json(clients[1].ring()).read("$.preferenceLists[*].preferenceList");
        assertThat(preferenceLists).as("preference lists after the leave").hasSize(PARTITIONS)
                .allSatisfy(list -> assertThat(list).doesNotContain("node1").doesNotHaveDuplicates().hasSize(3));

        checkStarted = System.nanoTime();
        readBack(staying);
        awaitOnAllReplicas(clients[1], sample(REPLICA_SAMPLE));
        lap("leave: every key read back through the 3 remaining nodes, " + REPLICA_SAMPLE + " keys on all 3 replicas",
                checkStarted);
        lap("whole test", started);
    }

    /** Membership requests that are malformed or name nobody get problem documents and change nothing. */
    private void badRequestsChangeNothing(KvClient client) throws Exception {
        String membersBefore = json(client.members()).read("$.members").toString();
        for (String body : List.of("{\"address\": ", "{}", "{\"address\": \"no-port\"}", "{\"address\": \"host:99999\"}")) {
            expectProblem(client.addMember(body), 400, "POST " + body);
        }
        int nobody = NodeProcess.freePort();
        expectProblem(client.addMember("{\"address\": \"" + cluster.host(3) + ":" + nobody + "\"}"), 503,
                "POST an address where no node listens");
        expectProblem(client.removeMember("no-such-node"), 404, "DELETE an unknown member");
        DocumentContext after = json(client.members());
        assertThat(after.read("$.members").toString()).as("members after bad requests").isEqualTo(membersBefore);
        assertThat(after.read("$.change", Object.class)).as("ring change after bad requests").isNull();
    }

    private static void expectProblem(HttpResponse<byte[]> response, int status, String what) {
        assertThat(response.statusCode()).as("%s: %s", what, KvClient.text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as("%s: content type", what)
                .startsWith("application/problem+json");
        assertThat(json(response).read("$.detail", String.class)).as("%s: detail", what).isNotBlank();
    }

    private void writeInitialKeys() throws Exception {
        for (int i = 0; i < INITIAL_KEYS; i++) {
            String key = "k" + i;
            String value = "initial value of " + key;
            HttpResponse<byte[]> put = clients[i % 3].put(BUCKET, key, value.getBytes(StandardCharsets.UTF_8));
            assertThat(put.statusCode()).as("PUT %s: %s", key, KvClient.text(put)).isEqualTo(204);
            acked.put(key, new Acked(value, put.headers().firstValue("X-Dynamo-Context").orElseThrow()));
        }
    }

    /**
     * Null when every node behind {@code through} lists the members with the given statuses, has no
     * ring change under way, and follows the same ring; else what is not so yet.
     */
    private static String changeOver(List<KvClient> through, Map<String, String> statuses) throws Exception {
        Set<Object> ringVersions = new HashSet<>();
        for (KvClient client : through) {
            DocumentContext members = json(client.members());
            for (Map.Entry<String, String> expected : statuses.entrySet()) {
                List<String> status = members.read("$.members[?(@.id == '" + expected.getKey() + "')].status");
                if (!status.equals(List.of(expected.getValue()))) {
                    return client + " sees " + expected.getKey() + " as " + status + ": " + members.jsonString();
                }
            }
            if (members.read("$.change", Object.class) != null) {
                return client + " sees a change under way: " + members.jsonString();
            }
            ringVersions.add(members.read("$.ringVersion", Object.class));
        }
        return ringVersions.size() == 1 ? null : "the nodes follow rings of versions " + ringVersions;
    }

    private void checkErrors(String change, BackgroundWriter writer) {
        report.add(change + ": the writer made " + writer.attempts() + " writes, " + writer.errors() + " failed"
                + (writer.errorSamples().isEmpty() ? "" : ", e.g. " + writer.errorSamples()));
        long tolerated = Math.max(TOLERATED_ERRORS, Math.round(writer.attempts() * TOLERATED_ERROR_SHARE));
        assertThat(writer.errors()).as("writes that failed during the %s: %s", change, writer.errorSamples())
                .isLessThanOrEqualTo((int) tolerated);
    }

    /** Lets the writer go on for {@link #WRITES_AFTER_CHANGE} writes. */
    private static void awaitWrites(BackgroundWriter writer) throws Exception {
        int before = writer.attempts();
        await(WRITES_AFTER_CHANGE + " more writes", () -> writer.attempts() - before >= WRITES_AFTER_CHANGE ? null
                : (writer.attempts() - before) + " writes");
    }

    /** Reads every key written, each through one of the nodes in turn, and checks each answer. */
    private void readBack(List<KvClient> through) throws Exception {
        List<String> keys = new ArrayList<>(new TreeSet<>(acked.keySet()));
        keys.addAll(uncertain.keySet().stream().filter(k -> !acked.containsKey(k)).sorted().toList());
        try (ExecutorService readers = Executors.newFixedThreadPool(through.size())) {
            List<Future<List<String>>> wrong = new ArrayList<>();
            for (int i = 0; i < through.size(); i++) {
                KvClient client = through.get(i);
                int node = i;
                List<String> share = IntStream.range(0, keys.size()).filter(k -> k % through.size() == node)
                        .mapToObj(keys::get).toList();
                wrong.add(readers.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (String key : share) {
                        HttpResponse<byte[]> read = client.get(BUCKET, key);
                        if (!readAsExpected(key, read)) {
                            mismatches.add(key + " through " + client + ": " + KvClient.text(read) + " (expected "
                                    + expected(key) + ")");
                        }
                    }
                    return mismatches;
                }));
            }
            List<String> mismatches = new ArrayList<>();
            for (Future<List<String>> future : wrong) {
                mismatches.addAll(future.get());
            }
            assertThat(mismatches).as("reads of %d keys through %d nodes that did not give the latest value",
                    keys.size(), through.size()).isEmpty();
        }
    }

    /** The latest acknowledged value; or, after a failed write, either that or the failed one (or none). */
    private boolean readAsExpected(String key, HttpResponse<byte[]> read) {
        List<String> values = expected(key);
        if (read.statusCode() == 404) {
            return values.contains(null);
        }
        return read.statusCode() == 200 && values.contains(new String(read.body(), StandardCharsets.UTF_8));
    }

    private List<String> expected(String key) {
        Acked latest = acked.get(key);
        List<String> values = new ArrayList<>();
        values.add(latest == null ? null : latest.value());
        if (uncertain.containsKey(key)) {
            values.add(uncertain.get(key));
        }
        return values;
    }

    /** Up to {@code size} keys whose latest write was acknowledged, spread over all of them. */
    private List<String> sample(int size) {
        List<String> certain = acked.keySet().stream().filter(k -> !uncertain.containsKey(k)).sorted().toList();
        int step = Math.max(1, certain.size() / Math.min(size, certain.size()));
        return IntStream.range(0, certain.size()).filter(i -> i % step == 0).mapToObj(certain::get).toList();
    }

    /**
     * Polls {@code /actuator/ring/{bucket}/{key}} until each key's N replicas under the current
     * ring all hold its latest value, and nothing else: a replica that missed a write gets it as a
     * hint or through read repair, so a straggler may need a moment.
     */
    private void awaitOnAllReplicas(KvClient client, List<String> keys) throws Exception {
        Map<String, String> pending = new TreeMap<>();
        for (String key : keys) {
            pending.put(key, "not asked yet");
        }
        await("all 3 replicas of " + keys.size() + " keys hold their latest values", () -> {
            try (ExecutorService askers = Executors.newFixedThreadPool(4)) {
                Map<String, Future<String>> asked = new TreeMap<>();
                for (String key : pending.keySet()) {
                    asked.put(key, askers.submit(() -> client.replicasHold(BUCKET, key, acked.get(key).value())));
                }
                for (Map.Entry<String, Future<String>> answer : asked.entrySet()) {
                    String problem = answer.getValue().get();
                    if (problem == null) {
                        pending.remove(answer.getKey());
                    } else {
                        pending.put(answer.getKey(), problem);
                    }
                }
            }
            return pending.isEmpty() ? null : pending.size() + " keys not yet, e.g. " + pending.entrySet().iterator().next();
        });
    }

    /** The owner of each partition as {@code client}'s node sees the ring. */
    private static List<String> owners(KvClient client) throws Exception {
        List<String> owners = json(client.ring()).read("$.preferenceLists[*].owner");
        assertThat(owners).as("owners as %s sees them", client).hasSize(PARTITIONS).doesNotContainNull();
        return owners;
    }

    /** How many partitions a node's log says it copied in full: a figure for the report. */
    private static long pulledPartitions(NodeProcess node) throws Exception {
        try (var lines = Files.lines(node.log(), StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains("transfer of partition") && line.endsWith("STREAMING -> DONE")).count();
        }
    }

    private static DocumentContext json(HttpResponse<byte[]> response) {
        return JsonPath.using(JSON).parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    private NodeProcess launch(int i, String seeds) {
        NodeProcess node = NodeProcess.launch("MembershipIT-node" + (i + 1), cluster.host(i), cluster.httpPort(i),
                data.resolve("node" + i), cluster.nodeArgs(i, SECRET, seeds,
                "--dynamo.cluster.partitions=" + PARTITIONS, "--dynamo.gossip.interval=200ms",
                "--dynamo.handoff.interval=200ms",
                // cold JVMs' first requests are slow on a shared machine, and admission control (tested in the
                // simulation) would pause the transfers for the whole latency window: this test is about the change
                "--dynamo.transfer.max-foreground-latency=0",
                // a replica that does not take a write says so in the coordinator's log
                "--logging.level.dev.dynamo.node.coordination.WriteRequest=debug"));
        running.add(node);
        return node;
    }

    private void lap(String what, long since) {
        report.add(String.format("%s: %.1f s", what, (System.nanoTime() - since) / 1e9));
    }

    /** Polls until {@code poll} is met; fails after {@link #PHASE} with what it found last. */
    private static void await(String what, Poll poll) throws Exception {
        Poll.await(what, PHASE, poll);
    }
}
