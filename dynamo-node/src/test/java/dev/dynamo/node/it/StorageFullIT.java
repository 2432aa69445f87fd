package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.DynamoNodeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node whose store reaches {@code dynamo.storage.max-size} refuses further writes with 507 and
 * a problem document, and otherwise carries on: what it acknowledged still reads back, absent
 * keys are still 404, health still answers, and deleting data makes room again. Each engine runs
 * one node in this JVM, filled once with 64 KiB values; the tests then look at that full node.
 */
class StorageFullIT {

    private static final String BUCKET = "full";
    private static final int VALUE_BYTES = 64 * 1024;
    private static final String MAX_SIZE = "1MB";
    /** A bound on the fill, far above the roughly 10 to 15 values that fit. */
    private static final int MAX_PUTS = 100;

    @Nested
    class Lmdb extends FullNode {
        @Override
        String engine() {
            return "lmdb";
        }
    }

    @Nested
    class H2 extends FullNode {
        @Override
        String engine() {
            return "h2";
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract static class FullNode {

        private Path data;
        private ConfigurableApplicationContext node;
        private KvClient client;
        private final List<String> acknowledged = new ArrayList<>();
        private String refusedKey;
        private HttpResponse<byte[]> refusal;

        abstract String engine();

        @BeforeAll
        void startAndFillUntilRefused() throws Exception {
            data = Files.createTempDirectory("StorageFullIT-" + engine()); // a @TempDir field was still null in this @BeforeAll (nested, per-class)
            node = new SpringApplicationBuilder(DynamoNodeApplication.class).run(
                    "--server.address=127.0.0.1", "--server.port=0", "--dynamo.transport.port=0",
                    "--dynamo.storage.engine=" + engine(), "--dynamo.storage.path=" + data,
                    "--dynamo.storage.max-size=" + MAX_SIZE, "--dynamo.storage.sync=always",
                    // health's details (the storage component) are shown to the operator only
                    "--spring.security.user.name=" + NodeProcess.OPERATOR,
                    "--spring.security.user.password=" + NodeProcess.OPERATOR_PASSWORD);
            client = new KvClient(URI.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port")));
            for (int i = 0; i < MAX_PUTS && refusal == null; i++) {
                String key = "k" + i;
                HttpResponse<byte[]> response = client.put(BUCKET, key, valueOf(key));
                if (response.statusCode() == 204) {
                    acknowledged.add(key);
                } else {
                    refusedKey = key;
                    refusal = response;
                }
            }
        }

        @AfterAll
        void stop() throws IOException {
            if (client != null) {
                client.close();
            }
            if (node != null) {
                node.close();
            }
            if (data != null) {
                FileSystemUtils.deleteRecursively(data);
            }
        }

        @Test
        void aPutPastMaxSizeAnswers507WithAProblemDocumentNamingTheSetting() throws Exception {
            assertThat(refusal).as("a refused PUT within %d PUTs of %d bytes into %s", MAX_PUTS, VALUE_BYTES, MAX_SIZE).isNotNull();
            assertThat(acknowledged).as("PUTs acknowledged before the store filled").isNotEmpty();
            assertThat(refusal.statusCode()).as(KvClient.text(refusal)).isEqualTo(507);
            assertThat(refusal.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JsonMapper.shared().readTree(refusal.body());
            assertThat(problem.path("status").asInt()).isEqualTo(507);
            assertThat(problem.path("title").asString()).isEqualTo("Storage full");
            assertThat(problem.path("detail").asString()).contains("storage is full").contains("dynamo.storage.max-size");
        }

        @Test
        void theRefusedWriteLeftNothingBehind() throws Exception {
            assertThat(refusedKey).isNotNull();
            assertThat(client.get(BUCKET, refusedKey).statusCode()).isEqualTo(404);
        }

        @Test
        void everyWriteAcknowledgedBeforeTheStoreFilledStillReadsBackByteIdentical() throws Exception {
            assertThat(acknowledged).isNotEmpty();
            for (String key : acknowledged) {
                HttpResponse<byte[]> read = client.get(BUCKET, key);
                assertThat(read.statusCode()).as("GET %s", key).isEqualTo(200);
                assertThat(Arrays.equals(read.body(), valueOf(key))).as("%s reads back byte-identical", key).isTrue();
            }
        }

        @Test
        void anAbsentKeyStillAnswers404() throws Exception {
            HttpResponse<byte[]> read = client.get(BUCKET, "never-written");
            assertThat(read.statusCode()).isEqualTo(404);
            assertThat(read.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }

        @Test
        void healthStillAnswers200() throws Exception {
            HttpResponse<byte[]> health = client.operatorGet("/actuator/health");
            assertThat(health.statusCode()).as(KvClient.text(health)).isEqualTo(200);
            JsonNode storage = JsonMapper.shared().readTree(health.body()).path("components").path("storage");
            assertThat(storage.path("status").asString()).isEqualTo("UP");
            assertThat(storage.path("details").path("engine").asString()).isEqualTo(engine());
        }

        /** Last: it empties the store the other tests look at. */
        @Test
        @Order(Integer.MAX_VALUE)
        void deletingOnAFullStoreSucceedsAndMakesRoomForNewWrites() throws Exception {
            assertThat(refusal).isNotNull();
            for (String key : acknowledged) {
                HttpResponse<byte[]> deleted = client.delete(BUCKET, key);
                assertThat(deleted.statusCode()).as("DELETE %s: %s", key, KvClient.text(deleted)).isEqualTo(204);
                assertThat(client.get(BUCKET, key).statusCode()).as("GET %s after DELETE", key).isEqualTo(404);
            }
            HttpResponse<byte[]> again = client.put(BUCKET, refusedKey, valueOf(refusedKey));
            assertThat(again.statusCode()).as("the refused PUT once data was deleted: %s", KvClient.text(again)).isEqualTo(204);
            assertThat(client.get(BUCKET, refusedKey).body()).isEqualTo(valueOf(refusedKey));
        }
    }

    /** The value written under {@code key}: {@value #VALUE_BYTES} bytes that depend on the key. */
    private static byte[] valueOf(String key) {
        byte[] value = new byte[VALUE_BYTES];
        new SplittableRandom(Arrays.hashCode(key.getBytes(StandardCharsets.UTF_8))).nextBytes(value);
        return value;
    }
}
