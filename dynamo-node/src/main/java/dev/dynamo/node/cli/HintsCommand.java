package dev.dynamo.node.cli;

import tools.jackson.databind.JsonNode;

/** {@code hints}: the hints this node holds for other nodes, per owner ({@code GET /admin/api/status}). */
final class HintsCommand {

    private HintsCommand() {
    }

    static void run(Invocation in) {
        AdminCli.requireOperands(in, 0, "hints");
        JsonNode status = in.node().get(NodeApi.STATUS);
        in.show(status.path("hints"), () -> render(status));
    }

    /** The hint queues of the status document: a table, or a line saying there are none. */
    static String render(JsonNode status) {
        String node = Formats.text(status.path("node"));
        if (status.path("hints").isEmpty()) {
            return "No hints waiting on " + node + ": every write reached its replicas.\n";
        }
        Table table = new Table("OWNER", "HINTS");
        for (JsonNode queue : status.path("hints")) {
            table.row(Formats.text(queue.path("owner")),
                    (queue.path("capped").asBoolean() ? "at least " : "") + queue.path("count").asInt());
        }
        return "Hints waiting on " + node + " for delivery to their owners:\n" + table.render();
    }
}
