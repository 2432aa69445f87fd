package dev.dynamo.node.api;

import java.util.Locale;
import java.util.Set;

/**
 * Keeps stored values inert in a browser: the node serves the console from the same origin as
 * {@code /kv}, so a value stored as HTML or script must never run there. Every data API response is
 * sandboxed and unsniffable (the data API's security chain); a value of a type a browser would render
 * or run is also served as a download.
 */
final class StoredContent {

    /** Types a browser renders as a document or runs as script, whatever their parameters. */
    private static final Set<String> ACTIVE = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "text/xml", "application/xml", "text/xsl", "text/javascript", "application/javascript",
            "application/x-javascript", "text/ecmascript", "application/ecmascript", "text/jscript");

    private StoredContent() {
    }

    /** Whether a value of {@code contentType} is served as an attachment, never shown inline. */
    static boolean isActive(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return ACTIVE.contains(type) || type.endsWith("+xml");
    }
}
