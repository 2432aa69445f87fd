package dev.dynamo.node.cli;

import static dev.dynamo.node.cli.Formats.text;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code members}: list them ({@code GET /admin/api/members}); {@code members add HOST:PORT}
 * ({@code POST}); {@code members remove ID}, which shows the removal preview
 * ({@code GET /admin/api/members/{id}/removal}) and asks before the {@code DELETE} unless {@code --yes}.
 */
final class MembersCommand {

    private MembersCommand() {
    }

    static void run(Invocation in) {
        List<String> operands = in.options().operands();
        String action = operands.isEmpty() ? "list" : operands.getFirst();
        switch (action) {
            case "list" -> list(in);
            case "add" -> {
                AdminCli.requireOperands(in, 2, "members add HOST:PORT");
                add(in, operands.get(1));
            }
            case "remove" -> {
                AdminCli.requireOperands(in, 2, "members remove ID");
                remove(in, operands.get(1));
            }
            default -> throw new CliFailure(ExitStatus.USAGE, "members takes add HOST:PORT or remove ID, not " + action);
        }
    }

    private static void list(Invocation in) {
        JsonNode members = in.node().get(NodeApi.MEMBERS);
        in.show(members, () -> table(members));
    }

    private static void add(Invocation in, String address) {
        ObjectNode body = in.object().put("address", address);
        JsonNode added = in.node().post(NodeApi.MEMBERS, body);
        in.show(added, () -> text(added.path("id")) + " (" + text(added.path("address")) + ") is "
                + text(added.path("status")) + ": the ring changes once it has copied its partitions"
                + " (follow with admin status, and admin transfers on it).\n");
    }

    private static void remove(Invocation in, String id) {
        String path = NodeApi.MEMBERS + "/" + PathSegments.encode(id);
        JsonNode preview = in.node().get(path + "/removal");
        String summary = removalSummary(preview);
        if (!in.json()) {
            in.print(summary + "\n");
        }
        if (!in.options().yes()) {
            String question = (in.json() ? summary + "\n" : "") + "Remove " + id + "? [y/N] ";
            boolean confirmed = in.terminal().confirm(question).orElseThrow(() -> new CliFailure(
                    ExitStatus.NOT_CONFIRMED, "not removing " + id + ": there is no terminal to confirm on;"
                            + " pass --yes to remove without asking"));
            if (!confirmed) {
                throw new CliFailure(ExitStatus.NOT_CONFIRMED, "not removing " + id + ": not confirmed");
            }
        }
        JsonNode leaving = in.node().delete(path);
        ObjectNode document = in.object();
        document.set("removal", preview);
        document.set("member", leaving);
        in.show(document, () -> text(leaving.path("id")) + " is " + text(leaving.path("status"))
                + ": the others copy its partitions, then it is removed.\n");
    }

    /** What removing the member would move, in one sentence, from the removal preview. */
    static String removalSummary(JsonNode preview) {
        Long estimate = Formats.number(preview.path("estimatedBytes"));
        return "Removing " + text(preview.path("node")) + " moves its " + preview.path("partitionsOwned").asInt()
                + " partitions to the other nodes: " + preview.path("partitionsChangingOwner").asInt()
                + " partitions change owner and " + preview.path("replicaCopies").asInt()
                + " partition replicas are copied, "
                + (estimate == null ? "an unknown amount of data" : "about " + Formats.bytes(estimate) + " of data")
                + " (estimated from the size of this node's store).";
    }

    /** The members document as a table: one row per member, partitions owned now and after the change. */
    static String table(JsonNode members) {
        Table table = new Table("ID", "ADDRESS", "ZONE", "STATUS", "REACHABILITY", "PARTITIONS");
        for (JsonNode m : members.path("members")) {
            Long after = Formats.number(m.path("partitionsAfterChange"));
            String zone = text(m.path("zone"));
            table.row(text(m.path("id")), text(m.path("address")), zone == null || zone.isEmpty() ? null : zone,
                    text(m.path("status")), text(m.path("reachability")),
                    m.path("partitions").asInt() + (after == null ? "" : " -> " + after));
        }
        return table.render();
    }
}
