package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RingCommandTest {

    private static final JsonNode RING = JsonMapper.builder().build().readTree("""
            {"self": "node1", "cluster": "c", "formed": true, "member": true, "version": 3, "partitions": 4,
             "members": [
               {"id": "node1", "status": "up", "partitionsOwned": 2},
               {"id": "node2", "status": "up", "partitionsOwned": 2},
               {"id": "node0", "status": "removed", "partitionsOwned": 0}],
             "preferenceLists": [
               {"partition": 0, "owner": "node1", "preferenceList": ["node1", "node2"], "lastExchange": null, "tombstones": 0},
               {"partition": 1, "owner": "node1", "preferenceList": ["node1", "node2"],
                "lastExchange": {"at": "2025-01-01T00:00:00Z", "peer": "node2", "keysRepaired": 3, "failed": true},
                "tombstones": 2},
               {"partition": 2, "owner": "node2", "preferenceList": ["node2", "node1"], "lastExchange": null, "tombstones": 0},
               {"partition": 3, "owner": "node1", "preferenceList": ["node1", "node2"], "lastExchange": null, "tombstones": 0}],
             "transfers": []}
            """);

    @Test
    void theSummaryCountsOwnersAndGroupsPartitionsByPreferenceList() {
        assertThat(RingCommand.summary(RING)).isEqualTo("""
                Ring version 3: 4 partitions, 2 members, as node1 follows it

                OWNER  STATUS  PARTITIONS  SHARE
                node1  up      2           50.0%
                node2  up      2           50.0%

                PREFERENCE LIST (OWNER FIRST)  COUNT  PARTITIONS
                node1, node2                   3      0-1, 3
                node2, node1                   1      2
                """);
    }

    @Test
    void allPrintsOneLinePerPartition() {
        assertThat(RingCommand.everyPartition(RING)).contains(
                "1          node1  node1, node2     2025-01-01T00:00:00Z with node2 (failed)  2\n",
                "2          node2  node2, node1     -");
    }

    @Test
    void aNodeWithoutARingSaysSo() {
        JsonNode unformed = JsonMapper.builder().build().readTree("""
                {"self": "node4", "cluster": "", "formed": false, "member": false, "version": 0, "partitions": 0,
                 "members": [], "preferenceLists": [], "transfers": []}
                """);
        assertThat(RingCommand.summary(unformed)).startsWith("node4 has no ring yet");
    }
}
