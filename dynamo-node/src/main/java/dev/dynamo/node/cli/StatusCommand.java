package dev.dynamo.node.cli;

import static dev.dynamo.node.cli.Formats.text;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code status}: the cluster as this node sees it (members, ring version, change under way with each
 * node's progress) and this node's own state (health, hints waiting, storage use), from
 * {@code /admin/api/members}, {@code /admin/api/status} and {@code /actuator/health}.
 */
final class StatusCommand {

    private StatusCommand() {
    }

    static void run(Invocation in) {
        AdminCli.requireOperands(in, 0, "status");
        NodeApi node = in.node();
        JsonNode members = node.get(NodeApi.MEMBERS);
        JsonNode status = node.get(NodeApi.STATUS);
        JsonNode health = node.health();
        ObjectNode document = in.object().put("node", node.base().toString());
        document.set("members", members);
        document.set("status", status);
        document.set("health", health);
        in.show(document, () -> render(node.base().toString(), members, status, health));
    }

    static String render(String url, JsonNode members, JsonNode status, JsonNode health) {
        String self = text(members.path("self"));
        String cluster = text(members.path("cluster"));
        StringBuilder out = new StringBuilder();
        out.append("Node ").append(self).append(cluster == null || cluster.isEmpty() ? "" : " of cluster " + cluster)
                .append(" at ").append(url).append(": health ").append(text(health.path("status"))).append('\n');
        Long version = Formats.number(members.path("ringVersion"));
        out.append(version == null ? "No ring yet: the cluster has not formed, or this node was not added.\n"
                : "Ring version " + version + ", claimant " + text(members.path("claimant")) + "\n");
        out.append('\n').append(MembersCommand.table(members)).append('\n');
        out.append(change(members.path("change"))).append('\n');
        out.append(HintsCommand.render(status)).append('\n');
        out.append(storage(self, status, health.path("components").path("storage").path("details")));
        return out.toString();
    }

    /** The ring change under way, with each node's progress; or a line saying there is none. */
    private static String change(JsonNode change) {
        if (change.isNull() || change.isMissingNode()) {
            return "No ring change under way.\n";
        }
        Table table = new Table("NODE", "PROGRESS");
        long ready = 0;
        for (Map.Entry<String, JsonNode> node : change.path("progress").properties()) {
            table.row(node.getKey(), node.getValue().asString());
            ready += "ready".equals(node.getValue().asString()) ? 1 : 0;
        }
        return "Ring change under way to version " + change.path("nextRingVersion").asLong() + ": " + ready + " of "
                + change.path("progress").size() + " nodes have copied the partitions they take on.\n"
                + table.render();
    }

    /** Storage use: health's storage details (seen by the operator) when there, else the status document's size. */
    private static String storage(String self, JsonNode status, JsonNode details) {
        Long used = Formats.number(details.path("usedBytes"));
        if (used == null) {
            return "Storage on " + self + ": " + Formats.bytes(Formats.number(status.path("storageBytes"))) + " used\n";
        }
        return "Storage on " + self + ": " + Formats.bytes(used) + " used of "
                + Formats.bytes(Formats.number(details.path("maxBytes"))) + " (" + text(details.path("engine"))
                + ", sync " + text(details.path("sync")) + ")\n";
    }
}
