package dev.dynamo.node.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options, each with a default; unknown names are refused. */
final class BenchArgs {

    private final Map<String, String> values = new HashMap<>();

    /**
     * @param defaults every accepted option (without the leading dashes) and its default value
     * @throws IllegalArgumentException for an unknown option or one without a value
     */
    BenchArgs(String[] args, Map<String, String> defaults) {
        values.putAll(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: " + usage(defaults.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            values.put(name, args[++i]);
        }
    }

    String string(String name) {
        return values.get(name);
    }

    int integer(String name) {
        try {
            return Integer.parseInt(values.get(name).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, was '" + values.get(name) + "'");
        }
    }

    private static String usage(Set<String> names) {
        return names.stream().sorted().map(name -> "--" + name).reduce((a, b) -> a + " " + b).orElse("");
    }
}
