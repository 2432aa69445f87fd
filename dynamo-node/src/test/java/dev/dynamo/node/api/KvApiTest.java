package dev.dynamo.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import dev.dynamo.node.DynamoNodeApplication;

/** The HTTP contract of a single node on LMDB, over real sockets. */
class KvApiTest {

    @TempDir
    static Path data;

    static ConfigurableApplicationContext node;
    static String base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        node = startNode(data);
        base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static ConfigurableApplicationContext startNode(Path path) {
        return new SpringApplicationBuilder(DynamoNodeApplication.class).run(
                "--server.port=0", "--dynamo.transport.port=0", "--dynamo.storage.path=" + path, "--dynamo.storage.max-size=64MB",
                "--dynamo.limits.max-value-size=4KB", "--dynamo.cluster.secret=local-node-test-secret",
                "--dynamo.buckets.latest.conflict=lww", "--logging.level.root=WARN");
    }

    @Test
    void putThenGetReturnsValueContentTypeAndContext() throws Exception {
        HttpResponse<byte[]> put = put("/kv/demo/greeting", "hello", "text/plain; charset=utf-8", null);
        assertThat(put.statusCode()).isEqualTo(204);
        String context = put.headers().firstValue("X-Dynamo-Context").orElseThrow();

        HttpResponse<byte[]> get = get("/kv/demo/greeting", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
        assertThat(get.headers().firstValue("X-Dynamo-Context")).hasValue(context);
    }

    @Test
    void formEncodedBodyIsStoredAsIs() throws Exception {
        put("/kv/demo/form", "a=1&b=2", "application/x-www-form-urlencoded", null);
        assertThat(new String(get("/kv/demo/form", null).body(), StandardCharsets.UTF_8)).isEqualTo("a=1&b=2");
    }

    @Test
    void blindWritesBecomeSiblingsAndAWriteWithTheirContextResolvesThem() throws Exception {
        put("/kv/demo/cart", "apple", "text/plain", null);
        put("/kv/demo/cart", "pear", "text/plain", null);

        HttpResponse<byte[]> siblings = get("/kv/demo/cart", null);
        assertThat(siblings.statusCode()).isEqualTo(300);
        assertThat(siblings.headers().firstValue("Content-Type").orElseThrow()).startsWith("multipart/mixed");
        String multipart = new String(siblings.body(), StandardCharsets.UTF_8);
        assertThat(multipart).contains("\r\n\r\napple\r\n", "\r\n\r\npear\r\n", "Content-Type: text/plain");

        HttpResponse<byte[]> json = get("/kv/demo/cart", "application/json");
        assertThat(json.statusCode()).isEqualTo(300);
        String envelope = new String(json.body(), StandardCharsets.UTF_8);
        assertThat(envelope).contains(b64("apple"), b64("pear"));

        String context = siblings.headers().firstValue("X-Dynamo-Context").orElseThrow();
        assertThat(put("/kv/demo/cart", "apple,pear", "text/plain", context).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> resolved = get("/kv/demo/cart", null);
        assertThat(resolved.statusCode()).isEqualTo(200);
        assertThat(new String(resolved.body(), StandardCharsets.UTF_8)).isEqualTo("apple,pear");
    }

    @Test
    void twoWritersWithTheSameStaleContextBothSurvive() throws Exception {
        String context = put("/kv/demo/race", "v1", "text/plain", null).headers().firstValue("X-Dynamo-Context").orElseThrow();
        put("/kv/demo/race", "from-a", "text/plain", context);
        put("/kv/demo/race", "from-b", "text/plain", context);
        HttpResponse<byte[]> get = get("/kv/demo/race", null);
        assertThat(get.statusCode()).isEqualTo(300);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).contains("from-a", "from-b").doesNotContain("v1");
    }

    @Test
    void deleteLeavesATombstoneThatReadsAs404WithAContext() throws Exception {
        String context = put("/kv/demo/gone", "x", "text/plain", null).headers().firstValue("X-Dynamo-Context").orElseThrow();
        HttpResponse<byte[]> delete = send(HttpRequest.newBuilder(uri("/kv/demo/gone")).DELETE()
                .header("X-Dynamo-Context", context).build());
        assertThat(delete.statusCode()).isEqualTo(204);

        HttpResponse<byte[]> get = get("/kv/demo/gone", null);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(get.headers().firstValue("X-Dynamo-Context")).isPresent();
    }

    @Test
    void deleteWithoutContextRemovesEveryVersion() throws Exception {
        put("/kv/demo/blind-delete", "a", "text/plain", null);
        put("/kv/demo/blind-delete", "b", "text/plain", null);
        assertThat(send(HttpRequest.newBuilder(uri("/kv/demo/blind-delete")).DELETE().build()).statusCode()).isEqualTo(204);
        assertThat(get("/kv/demo/blind-delete", null).statusCode()).isEqualTo(404);
    }

    @Test
    void absentKeyIs404WithoutContext() throws Exception {
        HttpResponse<byte[]> get = get("/kv/demo/never-written", null);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.headers().firstValue("X-Dynamo-Context")).isEmpty();
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).contains("no value stored under demo/never-written");
    }

    @Test
    void lwwBucketKeepsOnlyTheNewestWrite() throws Exception {
        put("/kv/latest/k", "old", "text/plain", null);
        put("/kv/latest/k", "new", "text/plain", null);
        HttpResponse<byte[]> get = get("/kv/latest/k", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("new");
    }

    @Test
    void keysHoldArbitraryBytesPercentEncoded() throws Exception {
        byte[] key = new byte[255];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 1); // every byte value but NUL, which Tomcat refuses in any path
        }
        String path = "/kv/demo/" + percentEncode(key);
        assertThat(put(path, "bytes", "text/plain", null).statusCode()).isEqualTo(204);
        assertThat(new String(get(path, null).body(), StandardCharsets.UTF_8)).isEqualTo("bytes");
        assertThat(get("/kv/demo/" + percentEncode(Arrays.copyOf(key, 254)), null).statusCode()).isEqualTo(404);
    }

    @Test
    void keyOf1024BytesIsAcceptedAnd1025Refused() throws Exception {
        byte[] longest = new byte[1024];
        Arrays.fill(longest, (byte) 'k');
        assertThat(put("/kv/demo/" + new String(longest, StandardCharsets.US_ASCII), "v", "text/plain", null).statusCode())
                .isEqualTo(204);
        assertRejected("/kv/demo/" + "k".repeat(1025), 400, "key must be 1 to 1024 bytes");
    }

    @Test
    void badInputIsRefusedWithAProblemAndChangesNothing() throws Exception {
        String context = put("/kv/demo/guarded", "original", "text/plain", null).headers().firstValue("X-Dynamo-Context").orElseThrow();

        assertRejected("/kv/bad!bucket/guarded", 400, "bucket name must be");
        assertRejected("/kv/" + "b".repeat(65) + "/guarded", 400, "bucket name must be");
        assertRejected("/kv/demo/", 400, "key must be 1 to 1024 bytes");
        assertRejected("/kv/demo", 400, "the key is missing");
        assertRejected("/kv/demo/guarded?w=0", 400, "w must be an integer from 1 to 3");
        assertRejected("/kv/demo/guarded?w=4", 400, "w must be an integer from 1 to 3");
        assertRejected("/kv/demo/guarded?w=two", 400, "w must be an integer from 1 to 3");
        assertThat(problem(get("/kv/demo/guarded?r=9", null), 400)).contains("r must be an integer from 1 to 3");

        HttpResponse<byte[]> badContext = put("/kv/demo/guarded", "changed", "text/plain", "not-a-context!");
        assertThat(problem(badContext, 400)).contains("invalid X-Dynamo-Context");
        String tampered = context.substring(0, context.length() - 2) + (context.endsWith("AA") ? "BB" : "AA");
        assertThat(problem(put("/kv/demo/guarded", "changed", "text/plain", tampered), 400))
                .contains("invalid X-Dynamo-Context");
        assertThat(problem(put("/kv/demo/guarded", "changed", "not a media type", context), 400))
                .contains("invalid Content-Type");
        assertThat(problem(put("/kv/demo/guarded", "x".repeat(4097), "text/plain", context), 413))
                .contains("larger than the limit of 4096 bytes");
        assertThat(problem(send(HttpRequest.newBuilder(uri("/kv/demo/guarded?w=9")).DELETE().build()), 400))
                .contains("w must be an integer");

        HttpResponse<byte[]> unchanged = get("/kv/demo/guarded", null);
        assertThat(unchanged.statusCode()).isEqualTo(200);
        assertThat(new String(unchanged.body(), StandardCharsets.UTF_8)).isEqualTo("original");
        assertThat(unchanged.headers().firstValue("X-Dynamo-Context")).hasValue(context);
    }

    @Test
    void bodyShorterThanItsContentLengthIsRefusedAndNotStored() throws Exception {
        URI target = uri("/kv/demo/truncated");
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + target.getRawPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly ten b").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 400");
        }
        assertThat(get("/kv/demo/truncated", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aBucketsLiveKeysAreListedInPagesInByteOrderBinaryKeysAsBase64() throws Exception {
        for (String name : List.of("c", "a", "b", "%FF%FE")) {
            assertThat(put("/kv/listing/" + name, "v", "text/plain", null).statusCode()).isEqualTo(204);
        }
        assertThat(send(HttpRequest.newBuilder(uri("/kv/listing/b")).DELETE().build()).statusCode()).isEqualTo(204);
        put("/kv/other/a", "v", "text/plain", null);

        DocumentContext first = JsonPath.parse(new String(get("/kv/listing?keys&limit=2", null).body(), StandardCharsets.UTF_8));
        assertThat(first.<List<String>>read("$.keys[*].key")).containsExactly("a", "c");
        String next = first.read("$.next");
        HttpResponse<byte[]> second = get("/kv/listing?keys&limit=2&after=" + next, null);
        assertThat(second.statusCode()).isEqualTo(200);
        DocumentContext rest = JsonPath.parse(new String(second.body(), StandardCharsets.UTF_8));
        assertThat(rest.<List<String>>read("$.keys[*].base64")).containsExactly("//4=");
        assertThat(rest.<Object>read("$.next")).as("the listing is complete").isNull();
    }

    @Test
    void aListingWithABadLimitOrTokenIsRefused() throws Exception {
        assertThat(problem(get("/kv/listing?keys&limit=0", null), 400)).contains("1 to 1000 keys");
        assertThat(problem(get("/kv/listing?keys&limit=1001", null), 400)).contains("1 to 1000 keys");
        assertThat(problem(get("/kv/listing?keys&limit=many", null), 400)).contains("limit must be a number");
        assertThat(problem(get("/kv/listing?keys&after=not*base64", null), 400)).contains("next token");
        assertThat(problem(get("/kv/Not%20A%20Bucket?keys", null), 400)).contains("bucket");
    }

    @Test
    void valueAtTheLimitIsAccepted() throws Exception {
        assertThat(put("/kv/demo/full-size", "x".repeat(4096), "text/plain", null).statusCode()).isEqualTo(204);
        assertThat(get("/kv/demo/full-size", null).body()).hasSize(4096);
    }

    @Test
    void emptyValueIsAValue() throws Exception {
        assertThat(put("/kv/demo/empty", "", "text/plain", null).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> get = get("/kv/demo/empty", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
    }

    private void assertRejected(String path, int status, String reason) throws Exception {
        assertThat(problem(put(path, "changed", "text/plain", null), status)).contains(reason);
    }

    private static String problem(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> put(String path, String value, String contentType, String context) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).PUT(BodyPublishers.ofString(value))
                .header("Content-Type", contentType);
        if (context != null) {
            request.header("X-Dynamo-Context", context);
        }
        return send(request.build());
    }

    private HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return send(request.build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, BodyHandlers.ofByteArray());
    }

    private static URI uri(String path) {
        return URI.create(base + path);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String percentEncode(byte[] key) {
        return "%" + HexFormat.ofDelimiter("%").withUpperCase().formatHex(key);
    }
}
