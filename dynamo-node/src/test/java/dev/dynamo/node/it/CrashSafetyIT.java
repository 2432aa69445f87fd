package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node killed with SIGKILL in the middle of a write load, then restarted on the same data
 * directory, opens cleanly and still holds every write it acknowledged, byte for byte. Writes it
 * never acknowledged may or may not be there, but never torn.
 */
class CrashSafetyIT {

    private static final String BUCKET = "crash";
    private static final int WRITERS = 8;
    private static final int VALUE_BYTES = 1024;
    private static final int ACKS_BEFORE_KILL = 300;
    /** How long the load may run before the kill, whether or not enough writes were acknowledged. */
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(20);
    /** The hard bound on each writer, kill or no kill. */
    private static final Duration WRITER_LIMIT = Duration.ofSeconds(40);

    @TempDir
    Path data;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lmdb", "h2"})
    void everyAcknowledgedWriteSurvivesSigkillUnderLoad(String engine) throws Exception {
        String[] settings = {"--dynamo.storage.engine=" + engine, "--dynamo.storage.sync=always"};
        WriteLoad load;
        try (NodeProcess node = NodeProcess.start("CrashSafetyIT-" + engine + "-before-kill", data, settings);
             KvClient client = new KvClient(node.baseUrl())) {
            load = new WriteLoad(client);
            load.start();
            boolean enough = load.awaitAcks(ACKS_BEFORE_KILL, LOAD_BEFORE_KILL);
            load.killedNow();
            node.kill();
            load.stopAndJoin();
            System.out.printf("%s: %d writes acknowledged before the kill, %d attempted, %d in flight at the kill%n",
                    engine, load.acked.size(), load.attempted.size(), load.inFlightAtKill.get());
            assertThat(load.unexpected).as("writes refused or failed before the kill").isEmpty();
            assertThat(load.acked).as("acknowledged writes (wanted %d within %s: %s)",
                    ACKS_BEFORE_KILL, LOAD_BEFORE_KILL, enough).isNotEmpty();
            assertThat(load.inFlightAtKill.get()).as("writes in flight when the node was killed").isPositive();
        }

        try (NodeProcess node = NodeProcess.start("CrashSafetyIT-" + engine + "-after-restart", data, settings);
             KvClient client = new KvClient(node.baseUrl())) {
            List<String> lost = new ArrayList<>();
            for (String key : load.acked) {
                HttpResponse<byte[]> read = client.get(BUCKET, key);
                if (read.statusCode() != 200 || !Arrays.equals(read.body(), valueOf(key))) {
                    lost.add(key + " -> " + read.statusCode() + " (" + read.body().length + " bytes)");
                }
            }
            List<String> torn = new ArrayList<>();
            for (String key : load.attempted) {
                if (load.acked.contains(key)) {
                    continue;
                }
                HttpResponse<byte[]> read = client.get(BUCKET, key);
                boolean whole = read.statusCode() == 200 && Arrays.equals(read.body(), valueOf(key));
                if (read.statusCode() != 404 && !whole) {
                    torn.add(key + " -> " + read.statusCode() + " (" + read.body().length + " bytes)");
                }
            }
            if (!lost.isEmpty() || !torn.isEmpty()) {
                throw node.failure(lost.size() + " of " + load.acked.size() + " acknowledged writes lost or changed "
                        + first(lost) + "; " + torn.size() + " unacknowledged writes neither absent nor whole " + first(torn));
            }
            node.stop();
        }
    }

    /** The value written under {@code key}: {@value #VALUE_BYTES} bytes that depend on the key. */
    private static byte[] valueOf(String key) {
        byte[] value = new byte[VALUE_BYTES];
        new SplittableRandom(Arrays.hashCode(key.getBytes(StandardCharsets.UTF_8))).nextBytes(value);
        return value;
    }

    private static List<String> first(List<String> items) {
        return items.subList(0, Math.min(10, items.size()));
    }

    /** {@value #WRITERS} threads, each putting its own keys one after another until stopped. */
    private static final class WriteLoad {

        final Set<String> attempted = ConcurrentHashMap.newKeySet();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlightAtKill = new AtomicInteger();

        private final KvClient client;
        private final List<Thread> writers = new ArrayList<>();
        private final long deadline = System.nanoTime() + WRITER_LIMIT.toNanos();
        private volatile boolean stopped;
        private volatile long killedAt;
        private volatile boolean killed;

        WriteLoad(KvClient client) {
            this.client = client;
        }

        void start() {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("crash-writer-" + w).start(() -> write(writer)));
            }
        }

        /** Waits, bounded by {@code limit}, until {@code count} writes are acknowledged. */
        boolean awaitAcks(int count, Duration limit) throws InterruptedException {
            long until = System.nanoTime() + limit.toNanos();
            while (acked.size() < count && System.nanoTime() - until < 0) {
                if (!unexpected.isEmpty() || writers.stream().noneMatch(Thread::isAlive)) {
                    return false;
                }
                writers.getFirst().join(Duration.ofMillis(20)); // the pause between checks
            }
            return acked.size() >= count;
        }

        /** Marks the moment just before the kill: writes started earlier that fail were in flight. */
        void killedNow() {
            killedAt = System.nanoTime();
            killed = true;
        }

        void stopAndJoin() throws InterruptedException {
            stopped = true;
            for (Thread writer : writers) {
                if (!writer.join(KvClient.REQUEST_TIMEOUT.plusSeconds(5))) {
                    throw new AssertionError(writer.getName() + " did not stop");
                }
            }
        }

        private void write(int writer) {
            for (int i = 0; !stopped && System.nanoTime() - deadline < 0; i++) {
                String key = "w" + writer + "-" + i;
                attempted.add(key);
                long started = System.nanoTime();
                try {
                    HttpResponse<byte[]> response = client.put(BUCKET, key, valueOf(key));
                    if (response.statusCode() == 204) {
                        acked.add(key);
                    } else if (!killed) {
                        unexpected.add(key + " -> " + KvClient.text(response));
                    }
                } catch (IOException e) {
                    if (!killed) {
                        unexpected.add(key + " -> " + e);
                    } else if (started - killedAt < 0) {
                        inFlightAtKill.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
