package dev.dynamo.node.api;

import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.Sibling;
import dev.dynamo.node.kv.KvService;
import dev.dynamo.node.kv.Quorum;
import dev.dynamo.node.listing.KeyListing;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The key-value HTTP API: {@code PUT} (conditional with {@code If-None-Match} or {@code If-Match}), {@code GET}
 * and {@code DELETE /kv/{bucket}/{key}}, and {@code GET /kv/{bucket}?keys} to list a bucket's keys. Translates HTTP to
 * and from the {@link KvService}, which checks and runs every request; its failures become problem
 * documents in {@link ApiProblems}.
 */
@RestController
class KvController {

    static final String CONTEXT_HEADER = KvService.CONTEXT;
    static final String TTL_HEADER = "X-Dynamo-TTL";
    /** Keys in a page when the request does not say. */
    static final int DEFAULT_PAGE = 100;

    private final KvService kv;

    KvController(KvService kv) {
        this.kv = kv;
    }

    @GetMapping(KvPath.PREFIX + "**")
    ResponseEntity<?> get(HttpServletRequest request, @RequestParam(required = false) String r,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        KvPath path = KvPath.parse(request.getRequestURI());
        KvService.Found found = await(kv.get(path.bucket(), path.key(), Quorum.parse(r)));
        List<Sibling> live = found.siblings();
        if (live.isEmpty()) {
            throw new KeyNotFoundException(StorageKey.of(path.bucket(), path.key()), found.context());
        }
        if (live.size() == 1) {
            Sibling only = live.getFirst();
            ResponseEntity.BodyBuilder value = ResponseEntity.ok()
                    .header(CONTEXT_HEADER, found.context())
                    .header(HttpHeaders.CONTENT_TYPE, only.content().contentType())
                    .lastModified(only.content().timestamp());
            if (StoredContent.isActive(only.content().contentType())) {
                value.header(HttpHeaders.CONTENT_DISPOSITION, "attachment");
            }
            return value.body(only.content().value());
        }
        return SiblingResponses.of(live, found.context(), accept);
    }

    /**
     * A page of the bucket's live keys in byte order: {@code {"keys":[{"key":"text"} or {"base64":"..."}],
     * "next":"token"}}, each key as text when it is valid UTF-8; {@code next} (base64url) is the {@code after}
     * of the following page, null once the listing is complete.
     */
    @GetMapping(path = KvPath.PREFIX + "{bucket}", params = "keys")
    Map<String, Object> keys(@PathVariable String bucket, @RequestParam(required = false) String limit,
            @RequestParam(required = false) String after) {
        KeyListing.Page page = await(kv.keys(bucket, token(after), pageSize(limit)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keys", page.keys().stream().map(KvController::keyJson).toList());
        body.put("next", page.next() == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(page.next()));
        return body;
    }

    private static int pageSize(String limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        try {
            return Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException("limit must be a number of keys, 1 to " + KeyListing.MAX_PAGE);
        }
    }

    private static byte[] token(String after) {
        if (after == null || after.isEmpty()) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(after.strip());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("after must be the next token of the previous page");
        }
    }

    private static Map<String, String> keyJson(byte[] key) {
        try {
            return Map.of("key", StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString());
        } catch (CharacterCodingException e) {
            return Map.of("base64", Base64.getEncoder().encodeToString(key));
        }
    }

    /**
     * A put; with {@code If-None-Match: *} only if the key holds no live value, with {@code If-Match: <context>}
     * only if its state is the one that context saw (both checked at the read quorum {@code r}; 412 otherwise).
     */
    @PutMapping(KvPath.PREFIX + "**")
    ResponseEntity<Void> put(HttpServletRequest request, @RequestParam(required = false) String w,
            @RequestParam(required = false) String r,
            @RequestHeader(value = CONTEXT_HEADER, required = false) String context,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = TTL_HEADER, required = false) String ttl,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) throws IOException {
        KvPath path = KvPath.parse(request.getRequestURI());
        Duration lifetime = ttl(ttl);
        if (ifNoneMatch == null && ifMatch == null) {
            return written(kv.put(path.bucket(), path.key(), contentType, body(request), context, Quorum.parse(w),
                    lifetime));
        }
        if (ifNoneMatch != null && ifMatch != null) {
            throw new BadRequestException("give If-None-Match or If-Match, not both");
        }
        if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
            throw new BadRequestException("If-None-Match takes only *: create the key if it holds no live value");
        }
        String expected = ifMatch == null ? null : unquoted(ifMatch.strip());
        if ("*".equals(expected)) {
            throw new BadRequestException("If-Match takes the " + CONTEXT_HEADER + " of a read, not *");
        }
        if (expected != null && context != null && !context.strip().equals(expected)) {
            throw new BadRequestException("If-Match and " + CONTEXT_HEADER + " name different contexts; give one");
        }
        return written(kv.conditionalPut(path.bucket(), path.key(), contentType, body(request),
                ifMatch == null ? WriteCondition.ABSENT : WriteCondition.MATCHES, expected, Quorum.parse(r),
                Quorum.parse(w), lifetime));
    }

    /** {@code X-Dynamo-TTL}: whole seconds, or an ISO-8601 duration such as {@code PT30M}; absent, null. */
    static Duration ttl(String header) {
        if (header == null) {
            return null;
        }
        String text = header.strip();
        try {
            return text.chars().allMatch(Character::isDigit) && !text.isEmpty() && text.length() <= 12
                    ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadRequestException(TTL_HEADER + " must be whole seconds or an ISO-8601 duration such as PT30M, got '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
    }

    /** An entity tag may come quoted, as HTTP writes them; the context inside is the same. */
    private static String unquoted(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
    }

    @DeleteMapping(KvPath.PREFIX + "**")
    ResponseEntity<Void> delete(HttpServletRequest request, @RequestParam(required = false) String w,
            @RequestHeader(value = CONTEXT_HEADER, required = false) String context) {
        KvPath path = KvPath.parse(request.getRequestURI());
        return written(kv.delete(path.bucket(), path.key(), context, Quorum.parse(w)));
    }

    private static ResponseEntity<Void> written(CompletableFuture<KvService.Written> write) {
        return ResponseEntity.status(HttpStatus.NO_CONTENT).header(CONTEXT_HEADER, await(write).context()).build();
    }

    /** Waits on a virtual thread for the service; its failures surface as themselves. */
    private static <T> T await(CompletableFuture<T> request) {
        try {
            return request.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Reads at most the limit, so an oversized body costs no more memory than an allowed one;
     * with a Content-Length, reads exactly that into one array of the right size. The service
     * refuses a value over the limit; a Content-Length over it is refused before reading.
     */
    private byte[] body(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        kv.requireValueSize(length);
        long limit = kv.maxValueSize();
        try (InputStream in = request.getInputStream()) {
            return in.readNBytes((int) (length >= 0 ? length : Math.min(Integer.MAX_VALUE - 8, limit + 1)));
        }
    }
}
