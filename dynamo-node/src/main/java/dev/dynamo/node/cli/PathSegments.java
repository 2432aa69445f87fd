package dev.dynamo.node.cli;

import java.nio.charset.StandardCharsets;

/** Text made safe for one segment of a URL path (public: the tests' HTTP client encodes keys the same way). */
public final class PathSegments {

    private PathSegments() {
    }

    /** Percent-encodes every UTF-8 byte outside RFC 3986's unreserved set, '/' included. */
    public static String encode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
