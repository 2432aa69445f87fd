package dev.dynamo.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.LocalNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /actuator/prometheus} of a real node: request latency percentiles and the sibling counter. */
class PrometheusEndpointTest {

    @RegisterExtension
    static final LocalNode node = LocalNode.withOperator();

    @Test
    void requestLatencyIsExportedWithItsPercentilesPerOperation() throws Exception {
        assertThat(node.put("/kv/metrics/timed", "v").statusCode()).isEqualTo(204);
        assertThat(node.get("/kv/metrics/timed").statusCode()).isEqualTo(200);

        String scrape = scrape();
        for (String operation : new String[] {"get", "put"}) {
            String labels = "operation=\"" + operation + "\",outcome=\"success\"";
            for (String quantile : new String[] {"0.5", "0.99", "0.999"}) {
                assertThat(scrape).containsPattern(Pattern.quote("dynamo_requests_seconds{" + labels + ",quantile=\"" + quantile + "\"}") + " \\S+");
            }
            assertThat(value(scrape, "dynamo_requests_seconds_count{" + labels + "}")).isPositive();
        }
        assertThat(scrape).contains("dynamo_quorum_failures_total{operation=\"put\"}", "dynamo_hints_stored_total",
                "dynamo_hints_delivered_total", "dynamo_read_repairs_total").doesNotContain("_bucket{");
    }

    @Test
    void gossipRoundsAndTransferProgressAreExported() throws Exception {
        String scrape = scrape();
        assertThat(scrape).contains("dynamo_transfer_partitions ", "dynamo_transfer_bytes_done_bytes ",
                "dynamo_transfer_bytes_total_bytes ", "dynamo_transfer_entries_served_total ",
                "dynamo_transfer_deferrals_total ");
        double rounds = value(scrape, "dynamo_gossip_rounds_total");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value(scrape(), "dynamo_gossip_rounds_total") <= rounds) {
            assertThat(System.nanoTime() - deadline).as("a gossip round within 10 s").isNegative();
            Thread.sleep(100); // polling a counter: there is no event to wait on
        }
    }

    @Test
    void aReadAnsweredWithSiblingsIsCounted() throws Exception {
        node.put("/kv/metrics/forked", "a");
        node.put("/kv/metrics/forked", "b"); // two blind writes: siblings
        double before = value(scrape(), "dynamo_siblings_returned_total");

        assertThat(node.get("/kv/metrics/forked").statusCode()).isEqualTo(300);

        assertThat(value(scrape(), "dynamo_siblings_returned_total")).isEqualTo(before + 1);
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = node.getAsOperator("/actuator/prometheus");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** The sample value of the series {@code series} (name and labels exactly as exported). */
    private static double value(String scrape, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(sample.find()).as("%s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(sample.group(1));
    }
}
