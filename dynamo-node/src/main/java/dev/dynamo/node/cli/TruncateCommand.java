package dev.dynamo.node.cli;

import static dev.dynamo.node.cli.Formats.text;

import tools.jackson.databind.JsonNode;

/**
 * {@code truncate BUCKET}: deletes every key of a bucket in the background, after asking
 * ({@code DELETE /kv/{bucket}}); {@code truncations}: the truncations this node runs or ran, with their progress.
 */
final class TruncateCommand {

    private TruncateCommand() {
    }

    static void truncate(Invocation in) {
        AdminCli.requireOperands(in, 1, "truncate BUCKET");
        String bucket = in.options().operands().getFirst();
        if (!in.options().yes()) {
            boolean confirmed = in.terminal().confirm("Delete every key of bucket " + bucket + "? [y/N] ")
                    .orElseThrow(() -> new CliFailure(ExitStatus.NOT_CONFIRMED, "not truncating " + bucket
                            + ": there is no terminal to confirm on; pass --yes to truncate without asking"));
            if (!confirmed) {
                throw new CliFailure(ExitStatus.NOT_CONFIRMED, "not truncating " + bucket + ": not confirmed");
            }
        }
        JsonNode started = in.node().delete("/kv/" + PathSegments.encode(bucket));
        in.show(started, () -> "Truncating " + text(started.path("bucket")) + " on this node ("
                + started.path("deleted").asLong() + " keys deleted so far): follow with admin truncations.\n");
    }

    static void list(Invocation in) {
        AdminCli.requireOperands(in, 0, "truncations");
        JsonNode all = in.node().get(NodeApi.TRUNCATIONS);
        in.show(all, () -> render(all));
    }

    /** The truncations as a table, or a line saying there are none. */
    static String render(JsonNode truncations) {
        if (truncations.isEmpty()) {
            return "No bucket has been truncated through this node.\n";
        }
        Table table = new Table("BUCKET", "STATUS", "DELETED", "STARTED", "FINISHED", "NOTE");
        for (JsonNode t : truncations) {
            table.row(text(t.path("bucket")), text(t.path("status")), String.valueOf(t.path("deleted").asLong()),
                    text(t.path("started")), text(t.path("finished")), text(t.path("problem")));
        }
        return table.render();
    }
}
