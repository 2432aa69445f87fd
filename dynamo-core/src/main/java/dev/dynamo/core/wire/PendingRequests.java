package dev.dynamo.core.wire;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The requests of one multiplexed connection that wait for their replies, by request id
 * ({@link FrameHeader}): the one bookkeeping a node's connection to a peer and a client's connection to
 * a node share. A request waits until its reply, its timeout or the end of the connection, whichever
 * comes first; each of those removes it, so exactly one completes its future. Requests made before the
 * connection {@link #open opens} (its handshake done) are written once it does, never before.
 * Thread-safe; the caller's exception types pass through unchanged.
 *
 * @param <T> the replies
 */
public final class PendingRequests<T> {

    private final Map<Long, CompletableFuture<T>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    /** Why the connection ended; the first reason wins, later ones are consequences. */
    private final AtomicReference<RuntimeException> ended = new AtomicReference<>();

    /**
     * Registers a request under a new id and returns its reply. Once the connection is open, {@code write}
     * gets the id to send the request, unless it is over by then. Without a reply within {@code timeout}
     * on {@code timer}, the request fails with what {@code timedOut} gives at that moment. On a connection
     * that has ended, it fails at once with the ending's cause.
     *
     * @throws RejectedExecutionException when {@code timer} is shut down; the request is forgotten
     */
    public CompletableFuture<T> send(LongConsumer write, ScheduledExecutorService timer, Duration timeout,
            Supplier<? extends RuntimeException> timedOut) {
        long id = ids.incrementAndGet();
        CompletableFuture<T> reply = new CompletableFuture<>();
        pending.put(id, reply);
        RuntimeException over = ended.get();
        if (over != null) { // ended before we were added: the sweep may have missed us
            fail(id, over);
            return reply;
        }
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> fail(id, timedOut.get()), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            throw e;
        }
        reply.whenComplete((r, e) -> deadline.cancel(false));
        opened.thenRun(() -> {
            if (pending.containsKey(id)) { // else it timed out while the connection opened
                write.accept(id);
            }
        });
        return reply;
    }

    /** The handshake is done: requests waiting for it, and all later ones, are written. */
    public void open() {
        opened.complete(null);
    }

    /** Whether the connection opened before it ended, if it did: only then may a request have been written. */
    public boolean hasOpened() {
        return opened.isDone() && !opened.isCompletedExceptionally();
    }

    /** Completes request {@code id} with its reply; false when it no longer waits (it timed out, say). */
    public boolean complete(long id, T reply) {
        CompletableFuture<T> waiting = pending.remove(id);
        return waiting != null && waiting.complete(reply);
    }

    /** Fails request {@code id}, if it still waits. */
    public void fail(long id, RuntimeException cause) {
        CompletableFuture<T> waiting = pending.remove(id);
        if (waiting != null) {
            waiting.completeExceptionally(cause);
        }
    }

    /** The connection is over: fails every request waiting and every later one, with the first cause given. */
    public void end(RuntimeException cause) {
        ended.compareAndSet(null, cause);
        RuntimeException first = ended.get();
        opened.completeExceptionally(first);
        pending.keySet().forEach(id -> fail(id, first));
    }

    /** Whether no request waits for its reply. */
    public boolean isIdle() {
        return pending.isEmpty();
    }

    /** Whether the connection has ended. */
    public boolean isOver() {
        return ended.get() != null;
    }
}
