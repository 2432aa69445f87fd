package dev.dynamo.node.cli;

import static dev.dynamo.node.cli.Formats.text;

import tools.jackson.databind.JsonNode;

/**
 * {@code transfers}: the partitions this node copies from other replicas for a ring change
 * ({@code GET /admin/api/members}): each one's state, progress, rate and ETA, and the whole's. A
 * finished transfer stays listed as DONE until its ring change completes.
 */
final class TransfersCommand {

    private TransfersCommand() {
    }

    static void run(Invocation in) {
        AdminCli.requireOperands(in, 0, "transfers");
        JsonNode members = in.node().get(NodeApi.MEMBERS);
        in.show(members.path("transfers"), () -> render(members));
    }

    static String render(JsonNode members) {
        String self = text(members.path("self"));
        JsonNode transfers = members.path("transfers");
        if (transfers.isEmpty()) {
            return "No partition is being copied to " + self + " now.\n";
        }
        Table table = new Table("PARTITION", "FROM", "STATE", "COPIED", "KEYS", "RATE", "ETA", "LAST ERROR");
        int done = 0;
        int streaming = 0;
        long rate = 0;
        Long left = 0L;
        for (JsonNode t : transfers) {
            String state = text(t.path("state"));
            Long bytesTotal = Formats.number(t.path("bytesTotal"));
            long bytesDone = t.path("bytesDone").asLong();
            Long keysTotal = Formats.number(t.path("keysTotal"));
            table.row(t.path("partition").asInt(), text(t.path("source")), state,
                    Formats.bytes(bytesDone) + " of " + Formats.bytes(bytesTotal),
                    t.path("keysDone").asLong() + " of " + (keysTotal == null ? "unknown" : keysTotal),
                    Formats.bytes(t.path("bytesPerSecond").asLong()) + "/s",
                    "DONE".equals(state) ? null : Formats.duration(Formats.number(t.path("etaSeconds"))),
                    text(t.path("lastError")));
            if ("DONE".equals(state)) {
                done++;
                continue;
            }
            streaming += "STREAMING".equals(state) ? 1 : 0;
            rate += t.path("bytesPerSecond").asLong();
            left = left == null || bytesTotal == null ? null : left + Math.max(0, bytesTotal - bytesDone);
        }
        Long eta = rate > 0 && left != null ? (left + rate - 1) / rate : null;
        return self + " copies " + Formats.count(transfers.size(), "partition") + ": " + done + " done, " + streaming + " streaming, "
                + (transfers.size() - done - streaming) + " waiting or retrying; " + Formats.bytes(rate)
                + "/s in all, ETA " + Formats.duration(done == transfers.size() ? Long.valueOf(0) : eta) + "\n"
                + table.render();
    }
}
