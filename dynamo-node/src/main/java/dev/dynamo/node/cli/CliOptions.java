package dev.dynamo.node.cli;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code admin}: its options, which may stand anywhere before {@code --}, and the
 * command's words (the command, then its operands).
 *
 * @param node  the node's HTTP base URL: {@code --node}, else {@code DYNAMO_NODE}, else {@link #DEFAULT_NODE}
 * @param user  the operator's name: {@code --user}, else {@code DYNAMO_USER}, else {@link #DEFAULT_USER}
 * @param json  print the node's JSON instead of tables
 * @param yes   remove without asking
 * @param all   {@code ring}: one line per partition instead of the summary
 * @param help  print the usage
 * @param words the command and its operands
 */
record CliOptions(URI node, String user, boolean json, boolean yes, boolean all, boolean help, List<String> words) {

    static final String DEFAULT_NODE = "http://127.0.0.1:8080";
    static final String DEFAULT_USER = "admin";

    /** Reads {@code args}, taking defaults from {@code env}; a usage error is a {@link CliFailure}. */
    static CliOptions parse(List<String> args, Map<String, String> env) {
        String node = env(env, "DYNAMO_NODE", DEFAULT_NODE);
        String user = env(env, "DYNAMO_USER", DEFAULT_USER);
        boolean json = false;
        boolean yes = false;
        boolean all = false;
        boolean help = false;
        List<String> words = new ArrayList<>();
        Deque<String> rest = new ArrayDeque<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.poll();
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--" -> {
                    words.addAll(rest);
                    rest.clear();
                }
                case "--node" -> node = value(arg, rest);
                case "--user" -> user = value(arg, rest);
                case "--json" -> json = flag(arg);
                case "--yes", "-y" -> yes = flag(arg);
                case "--all" -> all = flag(arg);
                case "--help", "-h" -> help = flag(arg);
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) {
                        throw usage("unknown option " + arg);
                    }
                    words.add(arg);
                }
            }
        }
        if (user.isBlank()) {
            throw usage("the user name is empty");
        }
        return new CliOptions(baseUrl(node), user, json, yes, all, help, List.copyOf(words));
    }

    /** The command, or null when none was given. */
    String command() {
        return words.isEmpty() ? null : words.getFirst();
    }

    /** The command's operands. */
    List<String> operands() {
        return words.isEmpty() ? List.of() : words.subList(1, words.size());
    }

    private static String env(Map<String, String> env, String name, String otherwise) {
        String value = env.get(name);
        return value == null || value.isBlank() ? otherwise : value.strip();
    }

    /** The option's value: after its {@code =}, else the next argument (taken from {@code rest}). */
    private static String value(String arg, Deque<String> rest) {
        if (arg.contains("=")) {
            return arg.substring(arg.indexOf('=') + 1);
        }
        if (rest.isEmpty()) {
            throw usage(arg + " needs a value");
        }
        return rest.poll();
    }

    /** A flag is set by its name alone. */
    private static boolean flag(String arg) {
        if (arg.contains("=")) {
            throw usage(arg.substring(0, arg.indexOf('=')) + " takes no value");
        }
        return true;
    }

    /** {@code url} as a base URL: http or https, a host, no path, query or fragment. */
    private static URI baseUrl(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        CliFailure notBase = usage("--node " + url + " must be a node's base URL, like " + DEFAULT_NODE);
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw notBase;
        }
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!web || uri.getHost() == null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw notBase;
        }
        return uri;
    }

    private static CliFailure usage(String message) {
        return new CliFailure(ExitStatus.USAGE, message);
    }
}
