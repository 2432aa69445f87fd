package dev.dynamo.node.api;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.CausalContextCodec;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.Sibling;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.bucket.BucketPolicy;
import dev.dynamo.node.coordination.RequestCoordinator;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The key-value HTTP API: {@code PUT}, {@code GET} and {@code DELETE /kv/{bucket}/{key}}. */
@RestController
class KvController {

    static final String CONTEXT_HEADER = "X-Dynamo-Context";

    private final RequestCoordinator coordinator;
    private final CausalContextCodec contexts;
    private final long maxValueSize;

    KvController(RequestCoordinator coordinator, CausalContextCodec contexts, LimitsProperties limits) {
        this.coordinator = coordinator;
        this.contexts = contexts;
        this.maxValueSize = limits.maxValueSize().toBytes();
    }

    @GetMapping(KvPath.PREFIX + "**")
    ResponseEntity<?> get(HttpServletRequest request, @RequestParam(required = false) String r,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        StorageKey key = KvPath.parse(request.getRequestURI());
        BucketPolicy policy = coordinator.policy(key.bucket());
        VersionedValue value = await(coordinator.get(key, quorum(policy, "r", r, policy.r())));
        String context = contexts.encode(value.clock());
        List<Sibling> live = value.live();
        if (live.isEmpty()) {
            throw new KeyNotFoundException(key, value.clock().entries().isEmpty() ? null : context);
        }
        if (live.size() == 1) {
            Sibling only = live.getFirst();
            return ResponseEntity.ok()
                    .header(CONTEXT_HEADER, context)
                    .header(HttpHeaders.CONTENT_TYPE, only.content().contentType())
                    .lastModified(only.content().timestamp())
                    .body(only.content().value());
        }
        return SiblingResponses.of(live, context, accept);
    }

    @PutMapping(KvPath.PREFIX + "**")
    ResponseEntity<Void> put(HttpServletRequest request, @RequestParam(required = false) String w,
            @RequestHeader(value = CONTEXT_HEADER, required = false) String context,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) throws IOException {
        StorageKey key = KvPath.parse(request.getRequestURI());
        BucketPolicy policy = coordinator.policy(key.bucket());
        int quorum = quorum(policy, "w", w, policy.w());
        VersionVector seen = context(context);
        String type = contentType(contentType);
        byte[] value = body(request);
        return written(coordinator.write(key, seen, new Content(value, type, 0, false), quorum));
    }

    @DeleteMapping(KvPath.PREFIX + "**")
    ResponseEntity<Void> delete(HttpServletRequest request, @RequestParam(required = false) String w,
            @RequestHeader(value = CONTEXT_HEADER, required = false) String context) {
        StorageKey key = KvPath.parse(request.getRequestURI());
        BucketPolicy policy = coordinator.policy(key.bucket());
        int quorum = quorum(policy, "w", w, policy.w());
        VersionVector seen = context == null || context.isBlank() ? null : context(context);
        return written(coordinator.write(key, seen, Content.tombstone(0), quorum));
    }

    private ResponseEntity<Void> written(CompletableFuture<VersionedValue> write) {
        VersionedValue stored = await(write);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).header(CONTEXT_HEADER, contexts.encode(stored.clock())).build();
    }

    /** Waits on a virtual thread for the coordinator; its failures surface as themselves. */
    private static VersionedValue await(CompletableFuture<VersionedValue> request) {
        try {
            return request.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static int quorum(BucketPolicy policy, String name, String requested, int fallback) {
        if (requested == null) {
            return fallback;
        }
        try {
            return policy.requireQuorum(name, Integer.parseInt(requested.strip()));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(name + " must be an integer from 1 to " + policy.n() + " (the bucket's n)");
        }
    }

    private VersionVector context(String token) {
        if (token == null || token.isBlank()) {
            return VersionVector.empty();
        }
        try {
            return contexts.decode(token.strip());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("invalid " + CONTEXT_HEADER + ": " + e.getMessage());
        }
    }

    private static String contentType(String header) {
        if (header == null || header.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        try {
            return MediaType.parseMediaType(header).toString();
        } catch (InvalidMediaTypeException e) {
            throw new BadRequestException("invalid Content-Type: " + e.getMessage());
        }
    }

    /**
     * Reads at most the limit, so an oversized body costs no more memory than an allowed one;
     * with a Content-Length, reads exactly that into one array of the right size.
     */
    private byte[] body(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length > maxValueSize) {
            throw new ValueTooLargeException(maxValueSize);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] value = in.readNBytes((int) (length >= 0 ? length : Math.min(Integer.MAX_VALUE - 8, maxValueSize + 1)));
            if (value.length > maxValueSize) {
                throw new ValueTooLargeException(maxValueSize);
            }
            return value;
        }
    }
}
