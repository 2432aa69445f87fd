package dev.dynamo.node.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** How the tables write sizes, durations, partition numbers and the node's JSON values. */
final class Formats {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Formats() {
    }

    /** {@code bytes} in binary units ("512 B", "1.5 MiB"); "unknown" for null. */
    static String bytes(Long bytes) {
        if (bytes == null) {
            return "unknown";
        }
        double size = bytes;
        int unit = 0;
        while (size >= 1024 && unit < UNITS.length - 1) {
            size /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", size, UNITS[unit]);
    }

    /** A number of seconds as "45s", "3m 20s" or "2h 05m"; "unknown" for null. */
    static String duration(Long seconds) {
        if (seconds == null) {
            return "unknown";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /** Ascending partition numbers as runs: "0-2, 5, 9-11". */
    static String ranges(List<Integer> partitions) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < partitions.size(); ) {
            int first = partitions.get(i);
            int last = first;
            while (i + 1 < partitions.size() && partitions.get(i + 1) == last + 1) {
                last = partitions.get(++i);
            }
            runs.add(first == last ? String.valueOf(first) : first + "-" + last);
            i++;
        }
        return String.join(", ", runs);
    }

    /** "1 member", "3 members". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A JSON value as a table cell: null for JSON null or a missing field (the table prints "-"). */
    static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? null : value.asString();
    }

    /** A JSON number that may be null or missing. */
    static Long number(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? null : value.asLong();
    }

    /** A JSON array of strings as "a, b, c". */
    static String list(JsonNode array) {
        return String.join(", ", array.valueStream().map(JsonNode::asString).toList());
    }
}
