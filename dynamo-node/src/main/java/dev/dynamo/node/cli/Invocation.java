package dev.dynamo.node.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of a command: its options, the node it talks to, the terminal, and where its output goes
 * (tables, or the node's JSON with {@code --json}). The node is connected on first use, so a usage
 * error is reported before any password is asked for.
 */
final class Invocation implements AutoCloseable {

    private final CliOptions options;
    private final Map<String, String> env;
    private final Terminal terminal;
    private final PrintStream out;
    private final JsonMapper json;
    private NodeApi node;

    Invocation(CliOptions options, Map<String, String> env, Terminal terminal, PrintStream out, JsonMapper json) {
        this.options = options;
        this.env = env;
        this.terminal = terminal;
        this.out = out;
        this.json = json;
    }

    CliOptions options() {
        return options;
    }

    Terminal terminal() {
        return terminal;
    }

    /** The node, as the operator: the password from {@code DYNAMO_PASSWORD}, else asked on the terminal. */
    NodeApi node() {
        if (node == null) {
            node = new NodeApi(options.node(), options.user(), password(), json);
        }
        return node;
    }

    /** Prints {@code document} with {@code --json}, else the tables {@code text} writes. */
    void show(JsonNode document, Supplier<String> text) {
        if (options.json()) {
            print(document);
        } else {
            print(text.get());
        }
    }

    /** With {@code --json}: whether to print JSON rather than tables. */
    boolean json() {
        return options.json();
    }

    /** Prints tables or sentences as they are. */
    void print(String text) {
        out.print(text);
    }

    /** Prints a JSON document, indented. */
    void print(JsonNode document) {
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    }

    /** A new JSON object, to put several of the node's documents in one. */
    ObjectNode object() {
        return json.createObjectNode();
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }

    private char[] password() {
        String fromEnv = env.get("DYNAMO_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        return terminal.password("Password for " + options.user() + " at " + options.node() + ": ")
                .orElseThrow(() -> new CliFailure(ExitStatus.USAGE, "no password: set DYNAMO_PASSWORD, or run admin"
                        + " on a terminal to be asked for it"));
    }
}
