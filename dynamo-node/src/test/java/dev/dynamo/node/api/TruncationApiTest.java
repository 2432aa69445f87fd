package dev.dynamo.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.LocalNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code DELETE /kv/{bucket}}: the operator's, a background job whose progress the admin API shows. */
class TruncationApiTest {

    @RegisterExtension
    static final LocalNode node = LocalNode.withOperator("--dynamo.truncate.keys-per-second=2000");

    @Test
    void theOperatorTruncatesABucketInTheBackgroundAndOtherBucketsKeepTheirKeys() throws Exception {
        for (int i = 0; i < 600; i++) {
            assertThat(node.put("/kv/doomed/key-" + i, "v").statusCode()).isEqualTo(204);
        }
        node.put("/kv/kept/key-1", "v");

        assertThat(node.delete("/kv/doomed").statusCode()).as("a client without the operator's credentials").isEqualTo(401);
        HttpResponse<String> started = node.deleteAsOperator("/kv/doomed");
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValue("/admin/api/truncations/doomed");

        DocumentContext progress = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) { // bounded poll: 600 keys at 2,000 a second
            progress = JsonPath.parse(node.getAsOperator("/admin/api/truncations/doomed").body());
            if ("DONE".equals(progress.read("$.status"))) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(progress.<String>read("$.status")).isEqualTo("DONE");
        assertThat(progress.<Integer>read("$.deleted")).isEqualTo(600);
        assertThat(progress.<String>read("$.finished")).isNotNull();

        assertThat(JsonPath.parse(node.get("/kv/doomed?keys").body()).<List<Object>>read("$.keys")).isEmpty();
        assertThat(node.get("/kv/doomed/key-7").statusCode()).isEqualTo(404);
        assertThat(node.get("/kv/kept/key-1").statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(node.getAsOperator("/admin/api/truncations").body()).<List<String>>read("$[*].bucket"))
                .contains("doomed");
    }

    @Test
    void anInvalidBucketIsRefusedAndAnUnknownTruncationIsNotFound() throws Exception {
        assertThat(node.deleteAsOperator("/kv/not%20a%20bucket").statusCode()).isEqualTo(400);
        assertThat(node.getAsOperator("/admin/api/truncations/never").statusCode()).isEqualTo(404);
    }
}
