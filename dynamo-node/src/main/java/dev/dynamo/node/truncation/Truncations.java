package dev.dynamo.node.truncation;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.key.KeyNames;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.listing.KeyListing;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.scheduling.Ticker;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Truncates buckets: for each, a background job on the node that was asked, which lists the bucket's keys a
 * page at a time ({@link KeyListing}) and deletes each through the coordinator, as a client's DELETE without
 * a context would (a tombstone at W replicas, reaped after the grace like any other), 32 at a time and not
 * timed as client requests: the latency admission control watches is the clients', not the job's own. It deletes at most
 * {@code keysPerSecond}, pauses while client requests are slow ({@link AdmissionControl}), and keeps its
 * progress in the node's META after every page, so a node that restarts carries on where it was.
 * A failed page is tried again after a pause; the job never gives up on its own.
 */
public final class Truncations {

    private static final Logger log = LoggerFactory.getLogger(Truncations.class);
    private static final byte[] PREFIX = "truncation/".getBytes(StandardCharsets.US_ASCII);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** Deletes of one truncation in flight at once. */
    private static final int IN_FLIGHT = 32;

    /** Where a truncation stands. */
    public enum Status { RUNNING, PAUSED, DONE }

    /**
     * A truncation's progress: keys deleted so far, when it started and finished ({@code null} while it runs),
     * and why it is paused or retrying, if it is.
     */
    public record Progress(String bucket, Status status, long deleted, Instant started, Instant finished,
            String problem) {
    }

    private final KeyListing listing;
    private final RequestCoordinator coordinator;
    private final BucketPolicies policies;
    private final StorageEngine engine;
    private final Scheduler scheduler;
    private final AdmissionControl admission;
    private final InstantSource clock;
    private final Ticker ticker;
    private final int keysPerTick;
    /** Every truncation this node has run, by bucket; guarded by this. */
    private final Map<String, Job> jobs = new TreeMap<>();
    private boolean stopped;

    public Truncations(KeyListing listing, RequestCoordinator coordinator, BucketPolicies policies, StorageEngine engine,
            Scheduler scheduler, AdmissionControl admission, InstantSource clock, Ticker ticker,
            TruncationProperties properties) {
        this.listing = listing;
        this.coordinator = coordinator;
        this.policies = policies;
        this.engine = engine;
        this.scheduler = scheduler;
        this.admission = admission;
        this.clock = clock;
        this.ticker = ticker;
        this.keysPerTick = Math.clamp(properties.keysPerSecond() * TICK.toMillis() / 1000, 1, KeyListing.MAX_PAGE);
    }

    /** One bucket's job; its fields are guarded by the enclosing {@link Truncations}. */
    private static final class Job {
        final String bucket;
        final Instant started;
        long deleted;
        byte[] after;
        Instant finished;
        Status status = Status.RUNNING;
        String problem;

        Job(String bucket, Instant started) {
            this.bucket = bucket;
            this.started = started;
        }

        Progress progress() {
            return new Progress(bucket, status, deleted, started, finished, problem);
        }
    }

    /** Resumes the truncations this node had not finished when it stopped. */
    public synchronized void start() {
        stopped = false;
        engine.scan(Namespace.META, PREFIX, StorageEngine.prefixEnd(PREFIX), (key, value) -> {
            Job job = decode(new String(key, PREFIX.length, key.length - PREFIX.length, StandardCharsets.US_ASCII), value);
            jobs.put(job.bucket, job);
            if (job.status != Status.DONE) {
                schedule(job, Duration.ZERO);
            }
            return true;
        });
    }

    /** Stops every running truncation where it is; {@link #start} resumes them. */
    public synchronized void stop() {
        stopped = true;
    }

    /**
     * Starts truncating {@code bucket}, unless a truncation of it is under way; a finished one is started anew.
     *
     * @throws IllegalArgumentException when the bucket name is not valid
     */
    public synchronized Progress truncate(String bucket) {
        KeyNames.requireValidBucket(bucket);
        Job running = jobs.get(bucket);
        if (running != null && running.status != Status.DONE) {
            return running.progress();
        }
        Job job = new Job(bucket, clock.instant());
        jobs.put(bucket, job);
        save(job);
        log.info("truncating bucket {}", bucket);
        schedule(job, Duration.ZERO);
        return job.progress();
    }

    /** Every truncation this node has run or runs, by bucket. */
    public synchronized List<Progress> all() {
        return jobs.values().stream().map(Job::progress).toList();
    }

    private void schedule(Job job, Duration delay) {
        scheduler.schedule(delay, () -> step(job));
    }

    /** Deletes one page of keys, then schedules the next. */
    private void step(Job job) {
        byte[] after;
        synchronized (this) {
            if (stopped || jobs.get(job.bucket) != job) {
                return;
            }
            if (!admission.admits()) {
                job.status = Status.PAUSED;
                job.problem = "yielding to client requests";
                schedule(job, TICK);
                return;
            }
            job.status = Status.RUNNING;
            after = job.after;
        }
        long began = ticker.nanos();
        CompletableFuture<KeyListing.Page> listed;
        try {
            listed = listing.page(job.bucket, after, keysPerTick);
        } catch (RuntimeException e) { // no reachable replica of some partition, say: tried again later
            listed = CompletableFuture.failedFuture(e);
        }
        listed.thenCompose(page -> delete(job.bucket, page.keys(), 0).thenApply(done -> page))
                .whenComplete((page, error) -> pageDone(job, page, error, began));
    }

    /** Records a page deleted (or why not) and schedules the next, the tick's rest later. */
    private synchronized void pageDone(Job job, KeyListing.Page page, Throwable error, long began) {
        if (error != null) {
            job.problem = "retrying: " + Futures.cause(error).getMessage();
            schedule(job, RETRY);
            return;
        }
        job.problem = null;
        job.deleted += page.keys().size();
        job.after = page.next();
        if (page.next() == null) {
            job.status = Status.DONE;
            job.finished = clock.instant();
            log.info("truncated bucket {}: {} keys deleted", job.bucket, job.deleted);
        }
        save(job);
        if (job.status != Status.DONE) {
            Duration spent = Duration.ofNanos(ticker.nanos() - began);
            schedule(job, spent.compareTo(TICK) < 0 ? TICK.minus(spent) : Duration.ZERO);
        }
    }

    /** Deletes {@code keys} from {@code from} on, {@link #IN_FLIGHT} at a time, so a page is no burst. */
    private CompletableFuture<Void> delete(String bucket, List<byte[]> keys, int from) {
        if (from >= keys.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int w = policies.of(bucket).w();
        List<CompletableFuture<?>> wave = new ArrayList<>();
        for (byte[] key : keys.subList(from, Math.min(keys.size(), from + IN_FLIGHT))) {
            wave.add(coordinator.deleteInBackground(StorageKey.of(bucket, key), w));
        }
        return CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new))
                .thenCompose(done -> delete(bucket, keys, from + IN_FLIGHT));
    }

    private void save(Job job) {
        byte[] after = job.after == null ? new byte[0] : job.after;
        byte[] state = ByteBuffer.allocate(1 + 3 * Long.BYTES + after.length).put((byte) job.status.ordinal())
                .putLong(job.deleted).putLong(job.started.toEpochMilli())
                .putLong(job.finished == null ? -1 : job.finished.toEpochMilli()).put(after).array();
        engine.put(Namespace.META, key(job.bucket), state).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("could not keep the progress of truncating {}: {}", job.bucket, error.toString());
            }
        });
    }

    private static byte[] key(String bucket) {
        byte[] name = bucket.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(PREFIX.length + name.length).put(PREFIX).put(name).array();
    }

    private Job decode(String bucket, byte[] state) {
        ByteBuffer in = ByteBuffer.wrap(state);
        Status status = Status.values()[in.get()];
        long deleted = in.getLong();
        Job job = new Job(bucket, Instant.ofEpochMilli(in.getLong()));
        long finished = in.getLong();
        job.status = status == Status.PAUSED ? Status.RUNNING : status;
        job.deleted = deleted;
        job.finished = finished < 0 ? null : Instant.ofEpochMilli(finished);
        byte[] after = new byte[in.remaining()];
        in.get(after);
        job.after = after.length == 0 ? null : after;
        return job;
    }
}
