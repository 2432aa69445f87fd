package dev.dynamo.client;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteResult;
import dev.dynamo.core.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A client of a Dynamo cluster. Keys are 1 to 1024 bytes (String keys are their UTF-8 bytes); bucket
 * names are 1 to 64 of {@code A-Za-z0-9_.-}. Quorums {@code r} and {@code w} of 0 ({@link #BUCKET_QUORUM},
 * what the forms without a quorum pass) mean the client's configured default ({@code dynamo.client.r} and
 * {@code .w}), and when that is 0 too, the bucket's own. Failures are {@link DynamoException}s: {@link
 * QuorumNotReachedException}, {@link ValueTooLargeException}, {@link DynamoUnavailableException}, {@link
 * InvalidRequestException}, {@link AuthenticationFailedException}, {@link ConditionFailedException}; the
 * asynchronous forms complete exceptionally with them.
 */
public interface DynamoClient extends AutoCloseable {

    /** Quorum 0: the client's default R or W, else the bucket's own. */
    int BUCKET_QUORUM = 0;
    /** How many times {@link #getResolved} writes a merge back before it gives up on concurrent writers. */
    int RESOLVE_ATTEMPTS = 8;
    /** How many keys each page {@link #keys} fetches asks for: the most a node serves in one page. */
    int KEYS_PAGE = 1000;

    /** Reads a key with quorum {@code r}: its value, its siblings, or nothing, with their causal context. */
    CompletableFuture<ReadResult> getAsync(String bucket, byte[] key, int r);

    /**
     * Writes {@code value} superseding what {@code context} (from a read, or {@link CausalContext#NONE}) covers;
     * readers stop seeing it {@code ttl} after the node takes it (null: the bucket's {@code ttl}, if it has one).
     */
    CompletableFuture<WriteResult> putAsync(String bucket, byte[] key, Value value, CausalContext context, int w,
            Duration ttl);

    /** Writes {@code value} superseding what {@code context} covers, with the bucket's TTL if it has one. */
    default CompletableFuture<WriteResult> putAsync(String bucket, byte[] key, Value value, CausalContext context,
            int w) {
        return putAsync(bucket, key, value, context, w, null);
    }

    /**
     * Writes {@code value} only if the key holds no live value among the replies of a read with the
     * bucket's R (a deleted key counts as absent); otherwise fails with {@link ConditionFailedException}.
     * Checked at the coordinator, not linearizable: two creates racing, or on both sides of a partition,
     * can both succeed and leave siblings (the README's "Conditional writes").
     */
    CompletableFuture<WriteResult> putIfAbsentAsync(String bucket, byte[] key, Value value, int w, Duration ttl);

    /**
     * Writes {@code value} only if the key's state, read with the bucket's R, is exactly the one {@code context}
     * (from a read or a write) saw; otherwise fails with {@link ConditionFailedException}, whose context is the
     * state found. Not linearizable, as {@link #putIfAbsentAsync} explains.
     */
    CompletableFuture<WriteResult> replaceAsync(String bucket, byte[] key, CausalContext context, Value value, int w,
            Duration ttl);

    /** Deletes a key, superseding what {@code context} covers ({@link CausalContext#NONE}: everything). */
    CompletableFuture<WriteResult> deleteAsync(String bucket, byte[] key, CausalContext context, int w);

    /**
     * One page of a bucket's keys, in unsigned byte order: at most {@code limit} (1 to {@link #KEYS_PAGE}) of them, each after
     * {@code after} ({@code null}: from the first key). A page may hold fewer keys than asked, even none, and
     * still not be the last: the next one is asked for with its {@link KeyPage#next()} as {@code after}. What
     * pages so followed return is what {@link #keys} says.
     */
    CompletableFuture<KeyPage> listKeysAsync(String bucket, byte[] after, int limit);

    /** The ring as a node answers it now; fails when no node answers. */
    CompletableFuture<Ring> fetchRing();

    /** Closes the client's connections; requests still waiting fail. */
    @Override
    void close();

    default ReadResult get(String bucket, byte[] key) {
        return get(bucket, key, BUCKET_QUORUM);
    }

    /** Reads with quorum {@code r} instead of the bucket's R. */
    default ReadResult get(String bucket, byte[] key, int r) {
        return await(getAsync(bucket, key, r));
    }

    default ReadResult get(String bucket, String key) {
        return get(bucket, utf8(key));
    }

    default WriteResult put(String bucket, byte[] key, Value value, CausalContext context) {
        return put(bucket, key, value, context, BUCKET_QUORUM);
    }

    /** Writes with quorum {@code w} instead of the bucket's W. */
    default WriteResult put(String bucket, byte[] key, Value value, CausalContext context, int w) {
        return await(putAsync(bucket, key, value, context, w));
    }

    default WriteResult put(String bucket, String key, Value value, CausalContext context) {
        return put(bucket, utf8(key), value, context);
    }

    /** Writes a value that readers stop seeing {@code ttl} from now (see {@link #putAsync(String, byte[], Value, CausalContext, int, Duration)}). */
    default WriteResult put(String bucket, String key, Value value, CausalContext context, Duration ttl) {
        return await(putAsync(bucket, utf8(key), value, context, BUCKET_QUORUM, ttl));
    }

    /** See {@link #putIfAbsentAsync}. */
    default WriteResult putIfAbsent(String bucket, String key, Value value) {
        return await(putIfAbsentAsync(bucket, utf8(key), value, BUCKET_QUORUM, null));
    }

    /** See {@link #replaceAsync}. */
    default WriteResult replace(String bucket, String key, CausalContext context, Value value) {
        return await(replaceAsync(bucket, utf8(key), context, value, BUCKET_QUORUM, null));
    }

    default WriteResult delete(String bucket, String key, CausalContext context) {
        return await(deleteAsync(bucket, utf8(key), context, BUCKET_QUORUM));
    }

    /** See {@link #listKeysAsync}. */
    default KeyPage listKeys(String bucket, byte[] after, int limit) {
        return await(listKeysAsync(bucket, after, limit));
    }

    /**
     * Every key of a bucket, in unsigned byte order, fetched {@link #KEYS_PAGE} at a time as the stream is
     * consumed: a stream closed or short-circuited early fetches no further. Each key live for the whole listing
     * is returned exactly once; keys deleted before the listing began are not returned; keys written or deleted
     * during the listing may or may not be. A page that cannot be fetched fails the stream's operation with its
     * {@link DynamoException}.
     */
    default Stream<byte[]> keys(String bucket) {
        return new KeyPages(this, bucket).stream();
    }

    /** {@link #keys} as UTF-8 text; the bytes of a key that is not UTF-8 become U+FFFD. */
    default Stream<String> keysAsText(String bucket) {
        return keys(bucket).map(key -> new String(key, StandardCharsets.UTF_8));
    }

    /**
     * Reads a key and, when it holds siblings, merges them with {@code resolver} and writes the merge
     * back with the context covering them all; if another write raced that write-back, waits a random
     * 2^attempt to 2^(attempt+1) ms (random, so that two resolvers stop racing in step) and merges again, at
     * most {@link #RESOLVE_ATTEMPTS} times. The result holds at most one value.
     */
    default ReadResult getResolved(String bucket, byte[] key, SiblingResolver resolver) {
        ReadResult read = get(bucket, key);
        for (int attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
            if (!read.hasSiblings()) {
                return read;
            }
            Value merged = resolver.resolve(read.siblings());
            WriteResult written = put(bucket, key, merged, read.context());
            if (!written.concurrent()) {
                return new ReadResult(List.of(merged), written.context());
            }
            pause(attempt);
            read = get(bucket, key);
        }
        throw new DynamoException(FailureKind.INTERNAL, "siblings of " + bucket + "/" + new String(key,
                StandardCharsets.UTF_8) + " kept reappearing: " + RESOLVE_ATTEMPTS + " merges raced other writes", null);
    }

    /**
     * Read-modify-write: reads the key (siblings resolved by {@code resolver}), writes {@code change}
     * of its value (null when absent) with the read's context, and when another write was concurrent
     * with it, resolves the siblings that made, which keeps both changes without applying
     * {@code change} twice. Returns the key's value after.
     */
    default Value update(String bucket, byte[] key, SiblingResolver resolver, UnaryOperator<Value> change) {
        ReadResult read = getResolved(bucket, key, resolver);
        Value changed = change.apply(read.isFound() ? read.value() : null);
        WriteResult written = put(bucket, key, changed, read.context());
        return written.concurrent() ? getResolved(bucket, key, resolver).value() : changed;
    }

    /** Waits for an asynchronous call; its failure is thrown as itself. */
    static <T> T await(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1L << attempt, 2L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(FailureKind.INTERNAL, "interrupted while resolving siblings", e);
        }
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
