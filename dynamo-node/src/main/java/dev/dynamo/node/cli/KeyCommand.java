package dev.dynamo.node.cli;

import static dev.dynamo.node.cli.Formats.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * {@code key BUCKET KEY}: the key's partition and preference list, and each replica's version vector
 * and siblings as that replica holds them ({@code GET /actuator/ring/{bucket}/{key}}, which asks the
 * replicas over the network: a stale replica shows as stale).
 */
final class KeyCommand {

    private KeyCommand() {
    }

    static void run(Invocation in) {
        AdminCli.requireOperands(in, 2, "key BUCKET KEY");
        String bucket = in.options().operands().get(0);
        String key = in.options().operands().get(1);
        JsonNode found = in.node().get(path(bucket, key));
        in.show(found, () -> render(found));
    }

    /**
     * The endpoint's path for a key. The endpoint takes the key as the rest of the path, joined with
     * '/', and the node refuses an encoded '/' outside the data API: so each of the key's '/'-separated
     * parts is encoded on its own.
     */
    static String path(String bucket, String key) {
        return NodeApi.RING + "/" + PathSegments.encode(bucket) + "/"
                + Arrays.stream(key.split("/", -1)).map(PathSegments::encode).collect(Collectors.joining("/"));
    }

    static String render(JsonNode found) {
        StringBuilder out = new StringBuilder();
        out.append(text(found.path("bucket"))).append('/').append(text(found.path("key"))).append(" is in partition ")
                .append(found.path("partition").asInt()).append(" (position ").append(text(found.path("position")))
                .append("), preference list ").append(Formats.list(found.path("preferenceList"))).append('\n');
        for (JsonNode replica : found.path("replicas")) {
            out.append('\n').append(text(replica.path("node"))).append(" (").append(text(replica.path("address")))
                    .append("): ");
            if (!replica.path("error").isNull() && !replica.path("error").isMissingNode()) {
                out.append("did not answer: ").append(text(replica.path("error"))).append('\n');
            } else if (replica.path("siblings").isEmpty()) {
                out.append("holds no version of this key\n");
            } else {
                out.append(replicaVersions(replica));
            }
        }
        return out.toString();
    }

    private static String replicaVersions(JsonNode replica) {
        String clock = replica.path("clock").propertyStream()
                .map((Map.Entry<String, JsonNode> e) -> e.getKey() + ":" + e.getValue().asLong())
                .collect(Collectors.joining(", "));
        int siblings = replica.path("siblings").size();
        Table table = new Table("DOT", "WRITTEN", "EXPIRES", "CONTENT TYPE", "SIZE", "VALUE");
        for (JsonNode s : replica.path("siblings")) {
            JsonNode expires = s.path("expiresAt");
            table.row(text(s.path("dot")), Instant.ofEpochMilli(s.path("timestamp").asLong()),
                    expires.isNumber() ? Instant.ofEpochMilli(expires.asLong()) : "never",
                    text(s.path("contentType")), s.path("size").asInt() + " B",
                    s.path("tombstone").asBoolean() ? "deleted (tombstone)" : value(s.path("valueBase64")));
        }
        return "version vector " + (clock.isEmpty() ? "empty" : clock)
                + (siblings > 1 ? "; " + siblings + " siblings (concurrent versions)" : "") + "\n" + table.render();
    }

    /** A value as text when it is printable UTF-8, else as base64; one too large to be inlined by size only. */
    static String value(JsonNode base64) {
        if (base64.isNull() || base64.isMissingNode()) {
            return "(too large to show)";
        }
        byte[] raw = Base64.getDecoder().decode(base64.asString());
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
            if (text.codePoints().noneMatch(Character::isISOControl)) {
                return text;
            }
        } catch (CharacterCodingException notText) {
            // shown as base64 below
        }
        return "base64 " + base64.asString();
    }
}
