package dev.dynamo.node.api;

import dev.dynamo.core.version.Sibling;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The 300 Multiple Choices answer for a key with concurrent siblings: {@code multipart/mixed}, one
 * part per sibling, or a JSON envelope with base64 values when the client accepts JSON. One
 * context covers all siblings, so a write with it resolves the conflict.
 */
final class SiblingResponses {

    private static final int MULTIPLE_CHOICES = 300;

    /** The JSON envelope. */
    record Siblings(String context, List<Part> siblings) {
    }

    /** One sibling in the JSON envelope; {@code value} is base64. */
    record Part(String contentType, String lastModified, String value) {
    }

    private SiblingResponses() {
    }

    static ResponseEntity<?> of(List<Sibling> siblings, String context, String accept) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(MULTIPLE_CHOICES).header(KvController.CONTEXT_HEADER, context);
        if (acceptsJson(accept)) {
            List<Part> parts = siblings.stream().map(s -> new Part(s.content().contentType(),
                    Instant.ofEpochMilli(s.content().timestamp()).toString(),
                    Base64.getEncoder().encodeToString(s.content().value()))).toList();
            return response.contentType(MediaType.APPLICATION_JSON).body(new Siblings(context, parts));
        }
        String boundary = boundary(siblings);
        return response.contentType(MediaType.parseMediaType("multipart/mixed; boundary=" + boundary))
                .body(multipart(siblings, boundary));
    }

    private static boolean acceptsJson(String accept) {
        if (accept == null) {
            return false;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(type -> type.getType().equals("application") && type.getSubtype().equals("json"));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static byte[] multipart(List<Sibling> siblings, String boundary) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Sibling sibling : siblings) {
            String head = "--" + boundary + "\r\n"
                    + HttpHeaders.CONTENT_TYPE + ": " + sibling.content().contentType() + "\r\n"
                    + HttpHeaders.LAST_MODIFIED + ": " + httpDate(sibling.content().timestamp()) + "\r\n\r\n";
            body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(sibling.content().value());
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    /** A random boundary that occurs in no value (a clash is astronomically rare, but checked). */
    private static String boundary(List<Sibling> siblings) {
        while (true) {
            byte[] random = new byte[16];
            ThreadLocalRandom.current().nextBytes(random);
            String boundary = "dynamo-" + HexFormat.of().formatHex(random);
            byte[] needle = boundary.getBytes(StandardCharsets.US_ASCII);
            if (siblings.stream().noneMatch(s -> contains(s.content().value(), needle))) {
                return boundary;
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static String httpDate(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }
}
