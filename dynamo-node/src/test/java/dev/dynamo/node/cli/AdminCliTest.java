package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exit statuses and what reaches stdout and stderr, against a stand-in node on loopback that answers canned JSON. */
class AdminCliTest {

    private static final Terminal NO_TERMINAL = new Terminal(null);
    private static final String PREVIEW = """
            {"node": "node2", "partitionsOwned": 5, "partitionsChangingOwner": 5, "replicaCopies": 15,
             "bytesPerReplica": 1024, "estimatedBytes": 15360}""";

    private HttpServer node;
    /** What the stand-in answers, by "METHOD path": status and body. */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** The requests it got, as "METHOD path body". */
    private final List<String> requests = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private record Answer(int status, String body) {
    }

    @BeforeEach
    void startNode() throws IOException {
        node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        node.createContext("/", exchange -> {
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
            synchronized (requests) {
                requests.add(request + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            Answer answer = answers.getOrDefault(request, new Answer(404,
                    "{\"title\": \"Not found\", \"detail\": \"no member has id 'nobody'\"}"));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        node.start();
    }

    @AfterEach
    void stopNode() {
        node.stop(0);
    }

    @Test
    void helpIsUsageOnStdoutAndNoCommandIsAUsageError() {
        assertThat(run(List.of("--help"))).isZero();
        assertThat(out.toString()).startsWith("Usage: admin");
        assertThat(run(List.of())).isEqualTo(2);
        assertThat(err.toString()).startsWith("Usage: admin");
        assertThat(run(List.of("frobnicate"))).isEqualTo(2);
        assertThat(err.toString()).contains("admin: unknown command frobnicate");
        assertThat(run(List.of("key", "only-a-bucket"))).isEqualTo(2);
        assertThat(err.toString()).contains("usage: admin key BUCKET KEY");
        assertThat(requests).as("no usage error reaches the node").isEmpty();
    }

    @Test
    void withoutAPasswordOrATerminalItSaysHowToGiveOne() {
        int status = AdminCli.run(List.of("--node", url(), "members"), Map.of(), NO_TERMINAL, print(out), print(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("no password: set DYNAMO_PASSWORD");
    }

    @Test
    void aNodeThatCannotBeReachedIsNamed() {
        String closed = url();
        node.stop(0);
        assertThat(run(List.of("--node", closed, "status"))).isEqualTo(3);
        assertThat(err.toString()).contains("could not reach the node at " + closed);
    }

    @Test
    void aRefusalPrintsTheProblemDetail() {
        answers.put("GET /admin/api/members", new Answer(401,
                "{\"title\": \"Unauthenticated\", \"detail\": \"wrong user name or password\"}"));
        assertThat(run(List.of("members"))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("admin: wrong user name or password (HTTP 401)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aRemovalIsNotMadeWithoutConfirmation() {
        answers.put("GET /admin/api/members/node2/removal", new Answer(200, PREVIEW));
        assertThat(run(List.of("members", "remove", "node2"))).isEqualTo(4);
        assertThat(out.toString()).contains("Removing node2 moves its 5 partitions to the other nodes: 5 partitions"
                + " change owner and 15 partition replicas are copied, about 15.0 KiB of data");
        assertThat(err.toString()).contains("not removing node2: there is no terminal to confirm on; pass --yes");
        assertThat(requests).noneMatch(r -> r.startsWith("DELETE"));
    }

    @Test
    void aRemovalWithYesDeletesAndTellsTheOutcome() {
        answers.put("GET /admin/api/members/node%202/removal", new Answer(200, PREVIEW));
        answers.put("DELETE /admin/api/members/node%202", new Answer(202,
                "{\"id\": \"node 2\", \"address\": \"h:1\", \"status\": \"LEAVING\"}"));
        assertThat(run(List.of("members", "remove", "node 2", "--yes"))).isZero();
        assertThat(out.toString()).endsWith("node 2 is LEAVING: the others copy its partitions, then it is removed.\n");
    }

    @Test
    void aTruncationIsStartedOnlyWhenConfirmedAndItsProgressIsATable() {
        answers.put("DELETE /kv/carts", new Answer(202, "{\"bucket\": \"carts\", \"status\": \"RUNNING\", \"deleted\": 0,"
                + " \"started\": \"2026-12-03T10:00:00Z\", \"finished\": null, \"problem\": null}"));
        assertThat(run(List.of("truncate", "carts"))).isEqualTo(4);
        assertThat(err.toString()).contains("not truncating carts: there is no terminal to confirm on; pass --yes");
        assertThat(requests).noneMatch(r -> r.startsWith("DELETE"));

        assertThat(run(List.of("truncate", "carts", "--yes"))).isZero();
        assertThat(out.toString()).startsWith("Truncating carts on this node (0 keys deleted so far)");

        answers.put("GET /admin/api/truncations", new Answer(200, "[{\"bucket\": \"carts\", \"status\": \"DONE\","
                + " \"deleted\": 1200, \"started\": \"2026-12-03T10:00:00Z\", \"finished\": \"2026-12-03T10:00:02Z\","
                + " \"problem\": null}]"));
        assertThat(run(List.of("truncations"))).isZero();
        assertThat(out.toString()).isEqualTo("""
                BUCKET  STATUS  DELETED  STARTED               FINISHED              NOTE
                carts   DONE    1200     2026-12-03T10:00:00Z  2026-12-03T10:00:02Z  -
                """);
    }

    @Test
    void addPostsTheAddressAsJson() {
        answers.put("POST /admin/api/members", new Answer(202,
                "{\"id\": \"node4\", \"address\": \"127.0.0.4:7070\", \"status\": \"JOINING\"}"));
        assertThat(run(List.of("--json", "members", "add", "127.0.0.4:7070"))).isZero();
        assertThat(requests).containsExactly("POST /admin/api/members {\"address\":\"127.0.0.4:7070\"}");
        assertThat(out.toString()).contains("\"status\" : \"JOINING\"");
    }

    private int run(List<String> args) {
        out.reset();
        err.reset();
        return AdminCli.run(args, Map.of("DYNAMO_NODE", url(), "DYNAMO_PASSWORD", "pw"), NO_TERMINAL, print(out),
                print(err));
    }

    private String url() {
        return "http://127.0.0.1:" + node.getAddress().getPort();
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
