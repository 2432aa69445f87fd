package dev.dynamo.node.it;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread writing to a cluster while it changes, one write at a time, through the nodes it is
 * given in turn: mostly new keys, and updates of keys it wrote before with the context its last
 * write of that key answered (so an update supersedes exactly what came before, and no siblings are
 * expected). It records every acknowledged write as the key's latest value and every failed one as
 * uncertain (it may or may not have taken effect); an uncertain key is updated no more.
 */
final class BackgroundWriter implements AutoCloseable {

    /** A key's latest acknowledged value and the context its write answered. */
    record Acked(String value, String context) {
    }

    private static final int ERROR_SAMPLES = 10;
    private static final Duration JOIN_TIMEOUT = KvClient.REQUEST_TIMEOUT.plusSeconds(5);

    private final String bucket;
    private final String prefix;
    private final Map<String, Acked> acked;
    private final Map<String, String> uncertain;
    private final List<String> errorSamples = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final SplittableRandom random;
    private final Thread thread;
    private volatile List<KvClient> through;
    private volatile boolean stopped;

    /**
     * @param acked     the keys written so far with their latest values; the writer updates some of
     *                  them and adds its own
     * @param uncertain the keys whose last write failed, with the value it tried to write; the writer
     *                  updates none of them and adds its own failures
     * @param prefix    starts the name of every new key, so two writers never write the same one
     */
    BackgroundWriter(String bucket, String prefix, Map<String, Acked> acked, Map<String, String> uncertain,
            List<KvClient> through, long seed) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.acked = acked;
        this.uncertain = uncertain;
        this.through = List.copyOf(through);
        this.random = new SplittableRandom(seed);
        this.thread = new Thread(this::run, "writer-" + prefix);
    }

    void start() {
        thread.start();
    }

    /** From the next write on, writes through these nodes. */
    void writeThrough(List<KvClient> nodes) {
        through = List.copyOf(nodes);
    }

    /** Stops after the write in progress. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join(JOIN_TIMEOUT.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the writer did not stop within " + JOIN_TIMEOUT);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    int attempts() {
        return attempts.get();
    }

    int errors() {
        return errors.get();
    }

    List<String> errorSamples() {
        return errorSamples;
    }

    private void run() {
        List<String> updatable = new ArrayList<>(acked.keySet());
        updatable.removeAll(uncertain.keySet());
        for (long n = 0; !stopped; n++) {
            boolean update = !updatable.isEmpty() && random.nextInt(3) == 0;
            String key = update ? updatable.get(random.nextInt(updatable.size())) : prefix + n;
            String value = key + " #" + n;
            List<KvClient> nodes = through;
            KvClient client = nodes.get((int) (n % nodes.size()));
            attempts.incrementAndGet();
            String failure;
            long began = System.nanoTime();
            try {
                Acked before = acked.get(key);
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                HttpResponse<byte[]> put = before == null ? client.put(bucket, key, bytes)
                        : client.put(bucket, key, bytes, before.context());
                String context = put.headers().firstValue("X-Dynamo-Context").orElse(null);
                failure = put.statusCode() == 204 && context != null ? null : KvClient.text(put);
                if (failure == null) {
                    acked.put(key, new Acked(value, context));
                    if (!update) {
                        updatable.add(key);
                    }
                }
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (failure != null) {
                errors.incrementAndGet();
                uncertain.put(key, value);
                updatable.remove(key);
                if (errorSamples.size() < ERROR_SAMPLES) {
                    errorSamples.add(Instant.now() + " PUT " + key + " through " + client + " after " + (System.nanoTime() - began) / 1_000_000 + " ms: " + failure);
                }
            }
        }
    }
}
