package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TransfersCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theWholeEtaIsWhatIsLeftOverTheSumOfTheRates() {
        JsonNode members = JSON.readTree("""
                {"self": "node4", "transfers": [
                  {"partition": 1, "source": "node1", "state": "DONE", "keysDone": 10, "keysTotal": 10,
                   "bytesDone": 4096, "bytesTotal": 4096, "bytesPerSecond": 0, "etaSeconds": null, "failures": 0,
                   "lastError": null},
                  {"partition": 2, "source": "node2", "state": "STREAMING", "keysDone": 5, "keysTotal": 10,
                   "bytesDone": 1024, "bytesTotal": 3072, "bytesPerSecond": 1024, "etaSeconds": 2, "failures": 0,
                   "lastError": null},
                  {"partition": 3, "source": "node3", "state": "FAILED", "keysDone": 0, "keysTotal": 10,
                   "bytesDone": 0, "bytesTotal": 2048, "bytesPerSecond": 0, "etaSeconds": null, "failures": 2,
                   "lastError": "timed out"}]}
                """);
        String text = TransfersCommand.render(members);
        assertThat(text).startsWith("node4 copies 3 partitions: 1 done, 1 streaming, 1 waiting or retrying;"
                + " 1.0 KiB/s in all, ETA 4s\n");
        assertThat(text).contains("2          node2  STREAMING  1.0 KiB of 3.0 KiB  5 of 10   1.0 KiB/s  2s")
                .contains("3          node3  FAILED     0 B of 2.0 KiB      0 of 10   0 B/s      unknown  timed out");
    }

    @Test
    void anUnknownTotalMakesTheEtaUnknown() {
        JsonNode members = JSON.readTree("""
                {"self": "node4", "transfers": [
                  {"partition": 2, "source": "node2", "state": "STREAMING", "keysDone": 5, "keysTotal": null,
                   "bytesDone": 1024, "bytesTotal": null, "bytesPerSecond": 1024, "etaSeconds": null, "failures": 0,
                   "lastError": null}]}
                """);
        assertThat(TransfersCommand.render(members)).contains("ETA unknown\n");
    }

    @Test
    void noTransfersSaysSo() {
        assertThat(TransfersCommand.render(JSON.readTree("{\"self\": \"node1\", \"transfers\": []}")))
                .isEqualTo("No partition is being copied to node1 now.\n");
    }
}
