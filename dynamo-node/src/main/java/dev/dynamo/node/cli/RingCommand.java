package dev.dynamo.node.cli;

import static dev.dynamo.node.cli.Formats.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code ring}: the ring as this node follows it ({@code GET /actuator/ring}). By default a summary
 * that stays short at any ring size: partitions per owner, then one row per distinct preference list
 * with the partitions that have it (a few members give few distinct lists, so 256 partitions fit in a
 * screen). {@code --all} prints one line per partition, with its last anti-entropy exchange.
 */
final class RingCommand {

    private RingCommand() {
    }

    static void run(Invocation in) {
        AdminCli.requireOperands(in, 0, "ring [--all]");
        JsonNode ring = in.node().get(NodeApi.RING);
        in.show(ring, () -> in.options().all() ? everyPartition(ring) : summary(ring));
    }

    static String summary(JsonNode ring) {
        if (!ring.path("formed").asBoolean()) {
            return unformed(ring);
        }
        int partitions = ring.path("partitions").asInt();
        Table owners = new Table("OWNER", "STATUS", "PARTITIONS", "SHARE");
        for (JsonNode m : ring.path("members")) {
            if (!"removed".equals(text(m.path("status")))) {
                int owned = m.path("partitionsOwned").asInt();
                owners.row(text(m.path("id")), text(m.path("status")), owned,
                        String.format(Locale.ROOT, "%.1f%%", 100.0 * owned / partitions));
            }
        }
        Map<String, List<Integer>> byList = new LinkedHashMap<>();
        for (JsonNode p : ring.path("preferenceLists")) {
            byList.computeIfAbsent(Formats.list(p.path("preferenceList")), list -> new ArrayList<>())
                    .add(p.path("partition").asInt());
        }
        Table lists = new Table("PREFERENCE LIST (OWNER FIRST)", "COUNT", "PARTITIONS");
        byList.forEach((list, which) -> lists.row(list, which.size(), Formats.ranges(which)));
        return heading(ring) + "\n" + owners.render() + "\n" + lists.render();
    }

    static String everyPartition(JsonNode ring) {
        if (!ring.path("formed").asBoolean()) {
            return unformed(ring);
        }
        Table table = new Table("PARTITION", "OWNER", "PREFERENCE LIST", "LAST EXCHANGE", "TOMBSTONES");
        for (JsonNode p : ring.path("preferenceLists")) {
            JsonNode last = p.path("lastExchange");
            table.row(p.path("partition").asInt(), text(p.path("owner")), Formats.list(p.path("preferenceList")),
                    last.isNull() || last.isMissingNode() ? null : text(last.path("at")) + " with "
                            + text(last.path("peer")) + (last.path("failed").asBoolean() ? " (failed)" : ""),
                    p.path("tombstones").asInt());
        }
        return heading(ring) + "\n" + table.render();
    }

    private static String heading(JsonNode ring) {
        long members = ring.path("members").valueStream().filter(m -> !"removed".equals(text(m.path("status")))).count();
        return "Ring version " + ring.path("version").asLong() + ": "
                + Formats.count(ring.path("partitions").asInt(), "partition") + ", " + Formats.count(members, "member")
                + ", as " + text(ring.path("self")) + " follows it"
                + (ring.path("member").asBoolean() ? "" : " (it is not a member)") + "\n";
    }

    private static String unformed(JsonNode ring) {
        return text(ring.path("self")) + " has no ring yet: the cluster has not formed, or this node was not added.\n";
    }
}
