package dev.dynamo.node.kv;

import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.key.KeyNames;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.CausalContextCodec;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.Sibling;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.bucket.BucketPolicy;
import dev.dynamo.node.coordination.ConditionFailedException;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.listing.KeyListing;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The front door behind both doors: takes a data request as the door parsed it, checks every input
 * (bucket, key, content type, value size, quorum, context) before anything is done, runs it through
 * the {@link RequestCoordinator}, and reports every failure as a {@link KvFailure}. So HTTP and the
 * binary client API refuse exactly the same requests, with the same reasons; each door only
 * translates its own wire format. Every failure, a check's included, fails the returned future.
 */
public final class KvService {

    /** Longest content type taken: RFC 6838 names are at most 127 characters each, plus room for parameters. */
    static final int MAX_CONTENT_TYPE = 256;

    /** What the causal context is called in refusals: the HTTP header that carries it, the same token everywhere. */
    public static final String CONTEXT = "X-Dynamo-Context";

    private final RequestCoordinator coordinator;
    private final KeyListing listing;
    private final CausalContextCodec contexts;
    /** The longest TTL taken: a century, so that no expiry time overflows. */
    public static final Duration MAX_TTL = Duration.ofDays(36_500);

    private final long maxValueSize;
    private final InstantSource clock;

    /** @param clock the wall clock from which a write's TTL counts */
    public KvService(RequestCoordinator coordinator, KeyListing listing, CausalContextCodec contexts,
            long maxValueSize, InstantSource clock) {
        this.coordinator = coordinator;
        this.listing = listing;
        this.contexts = contexts;
        this.maxValueSize = maxValueSize;
        this.clock = clock;
    }

    /** A key's live values (none when it is absent or deleted) and the context covering what was read, or null. */
    public record Found(List<Sibling> siblings, String context) {
    }

    /** A write reached its quorum: the context covering it, and how many values the key holds after it. */
    public record Written(String context, int siblings) {
    }

    /** The largest value a put may carry. */
    public long maxValueSize() {
        return maxValueSize;
    }

    /**
     * Refuses a value of {@code length} bytes over the limit; lets a door refuse one before reading it.
     *
     * @throws KvFailure of kind VALUE_TOO_LARGE
     */
    public void requireValueSize(long length) {
        if (length > maxValueSize) {
            throw KvFailure.tooLarge(maxValueSize);
        }
    }

    /** Reads a key with quorum {@code r}. */
    public CompletableFuture<Found> get(String bucket, byte[] key, Quorum r) {
        return failingAs(() -> {
            StorageKey storageKey = key(bucket, key);
            BucketPolicy policy = coordinator.policy(bucket);
            return coordinator.get(storageKey, r.resolve("r", policy, policy.r())).thenApply(value ->
                    new Found(value.live(), context(value, storageKey)));
        });
    }

    /**
     * Writes {@code value} of {@code contentType} (blank: {@code application/octet-stream}) superseding what
     * {@code context} covers (blank: nothing), with quorum {@code w}; readers stop seeing it {@code ttl} after
     * now (null: the bucket's TTL, if it has one).
     */
    public CompletableFuture<Written> put(String bucket, byte[] key, String contentType, byte[] value, String context,
            Quorum w, Duration ttl) {
        return failingAs(() -> {
            StorageKey storageKey = key(bucket, key);
            int quorum = w(storageKey, w);
            VersionVector seen = context(context, storageKey);
            Content content = content(storageKey, contentType, value, ttl);
            return written(storageKey, coordinator.write(storageKey, seen, content, quorum));
        });
    }

    /** A value's content as a write stores it, checked: its type, its size, and its expiry from {@code ttl}. */
    private Content content(StorageKey key, String contentType, byte[] value, Duration ttl) {
        String type = contentType(contentType);
        requireValueSize(value.length);
        Duration lifetime = ttl != null ? ttl : coordinator.policy(key.bucket()).ttl();
        if (lifetime == null) {
            return new Content(value, type, 0, false);
        }
        if (!lifetime.isPositive() || lifetime.compareTo(MAX_TTL) > 0) {
            throw KvFailure.badRequest("a TTL must be positive and at most " + MAX_TTL.toDays() + " days, got " + lifetime);
        }
        return new Content(value, type, 0, false, clock.millis() + Math.max(1, lifetime.toMillis()));
    }

    /**
     * Writes {@code value} as {@link #put} does (with {@code ttl} as there), but only when {@code condition} holds for the key's state read
     * with quorum {@code r}: {@link WriteCondition#ABSENT}, no live value; {@link WriteCondition#MATCHES}, the
     * state's context is {@code context}. Fails with a {@link KvFailure} of kind CONDITION_FAILED carrying the
     * current context otherwise.
     */
    public CompletableFuture<Written> conditionalPut(String bucket, byte[] key, String contentType, byte[] value,
            WriteCondition condition, String context, Quorum r, Quorum w, Duration ttl) {
        return failingAs(() -> {
            StorageKey storageKey = key(bucket, key);
            BucketPolicy policy = coordinator.policy(bucket);
            int readQuorum = r.resolve("r", policy, policy.r());
            int quorum = w(storageKey, w);
            if (condition == WriteCondition.MATCHES && isBlank(context)) {
                throw KvFailure.badRequest("a write conditional on a match needs the context it must match");
            }
            VersionVector expected = context(context, storageKey);
            Content content = content(storageKey, contentType, value, ttl);
            return written(storageKey, coordinator.conditionalWrite(storageKey, condition, expected, content,
                    readQuorum, quorum).exceptionallyCompose(error -> CompletableFuture.failedFuture(
                            Futures.cause(error) instanceof ConditionFailedException failed
                                    ? KvFailure.conditionFailed(failed.getMessage(), context(failed.current(), storageKey))
                                    : error)));
        });
    }

    /** Deletes a key (writes a tombstone) superseding what {@code context} covers; blank: every version. */
    public CompletableFuture<Written> delete(String bucket, byte[] key, String context, Quorum w) {
        return failingAs(() -> {
            StorageKey storageKey = key(bucket, key);
            int quorum = w(storageKey, w);
            VersionVector seen = isBlank(context) ? null : context(context, storageKey);
            return written(storageKey, coordinator.write(storageKey, seen, Content.tombstone(0), quorum));
        });
    }

    /**
     * A page of the live keys of {@code bucket} in unsigned byte order, each after {@code after} ({@code null}:
     * from the first), at most {@code limit} (1 to {@link KeyListing#MAX_PAGE}) of them; see {@link KeyListing}.
     */
    public CompletableFuture<KeyListing.Page> keys(String bucket, byte[] after, int limit) {
        return failingAs(() -> {
            String name;
            try {
                name = KeyNames.requireValidBucket(bucket);
                if (after != null) {
                    KeyNames.requireValidKey(after);
                }
            } catch (IllegalArgumentException e) {
                throw KvFailure.badRequest(e.getMessage());
            }
            if (limit < 1 || limit > KeyListing.MAX_PAGE) {
                throw KvFailure.badRequest("a page holds 1 to " + KeyListing.MAX_PAGE + " keys, asked for " + limit);
            }
            return listing.page(name, after, limit);
        });
    }

    private CompletableFuture<Written> written(StorageKey key, CompletableFuture<VersionedValue> write) {
        return write.thenApply(stored -> new Written(contexts.encode(stored.clock(), key.bucket(), key.key()),
                stored.live().size()));
    }

    /** The context token of a key's state; null when the state holds nothing. */
    private String context(VersionedValue value, StorageKey key) {
        return value.clock().entries().isEmpty() ? null : contexts.encode(value.clock(), key.bucket(), key.key());
    }

    private static StorageKey key(String bucket, byte[] key) {
        try {
            return StorageKey.of(KeyNames.requireValidBucket(bucket), KeyNames.requireValidKey(key));
        } catch (IllegalArgumentException e) {
            throw KvFailure.badRequest(e.getMessage());
        }
    }

    private int w(StorageKey key, Quorum w) {
        BucketPolicy policy = coordinator.policy(key.bucket());
        return w.resolve("w", policy, policy.w());
    }

    private VersionVector context(String token, StorageKey key) {
        if (isBlank(token)) {
            return VersionVector.empty();
        }
        try {
            return contexts.decode(token.strip(), key.bucket(), key.key());
        } catch (IllegalArgumentException e) {
            throw KvFailure.badRequest("invalid " + CONTEXT + ": " + e.getMessage());
        }
    }

    /**
     * Parsed by the HTTP stack's own parser, so that both doors take the same types, normalised alike; at
     * most {@link #MAX_CONTENT_TYPE} characters, so that a type cannot carry more than a value may.
     */
    private static String contentType(String type) {
        if (isBlank(type)) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        if (type.length() > MAX_CONTENT_TYPE) {
            throw KvFailure.badRequest("Content-Type is " + type.length() + " characters, over the limit of "
                    + MAX_CONTENT_TYPE);
        }
        try {
            return MediaType.parseMediaType(type).toString();
        } catch (InvalidMediaTypeException e) {
            throw KvFailure.badRequest("invalid Content-Type: " + e.getMessage());
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    /** Runs a request, its checks included, so that whatever fails it fails the future as a {@link KvFailure}. */
    private static <T> CompletableFuture<T> failingAs(Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> answer;
        try {
            answer = request.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(KvFailure.of(e));
        }
        return answer.exceptionallyCompose(error -> CompletableFuture.failedFuture(KvFailure.of(error)));
    }
}
