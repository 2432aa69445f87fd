package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar users run: {@code java -jar} with nothing else starts a node that stores, reads and
 * exports its metrics. The other tests run the node from the test classpath, which holds test
 * libraries a packaged node may lack (a missing run-time library once kept it from starting).
 */
class PackagedJarIT {

    @TempDir
    Path data;

    @Test
    void theJarAloneRunsANodeThatServesDataAndMetrics() throws Exception {
        try (NodeProcess node = NodeProcess.startJar("PackagedJarIT", NodeProcess.packagedJar(), data);
             KvClient client = new KvClient(node.baseUrl())) {
            HttpResponse<byte[]> put = client.put("jar", "k", "v".getBytes(StandardCharsets.UTF_8));
            assertThat(put.statusCode()).as(KvClient.text(put)).isEqualTo(204);
            HttpResponse<byte[]> get = client.get("jar", "k");
            assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("v");
            HttpResponse<byte[]> metrics = client.operatorGet("/actuator/prometheus");
            assertThat(metrics.statusCode()).as(KvClient.text(metrics)).isEqualTo(200);
            assertThat(KvClient.text(metrics)).contains("dynamo_requests_seconds{");
        }
    }
}
