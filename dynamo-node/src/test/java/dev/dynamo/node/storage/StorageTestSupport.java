package dev.dynamo.node.storage;

import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small helpers of the storage tests: bounded waits, byte strings, keys as sortable hex. */
final class StorageTestSupport {

    /** The bound on every wait in these tests. */
    static final int SECONDS = 20;

    private StorageTestSupport() {
    }


    static byte[] await(CompletableFuture<byte[]> future) {
        try {
            return future.get(SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("update did not complete", e);
        }
    }

    /** What {@code future} failed with, or {@code null} once it succeeded. */
    static Throwable failureOf(CompletableFuture<byte[]> future) {
        try {
            future.get(SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("update did not complete", e);
        }
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void putAll(StorageEngine engine, Namespace namespace, List<byte[]> keys) {
        keys.stream().map(key -> engine.put(namespace, key, valueOf(key))).toList()
                .forEach(StorageTestSupport::await);
    }

    /** A value that tells which key it was stored under. */
    static byte[] valueOf(byte[] key) {
        return bytes(key.length + ":" + Arrays.hashCode(key));
    }

    static List<String> keys(StorageEngine engine, Namespace namespace, byte[] from, byte[] to) {
        List<String> keys = new ArrayList<>();
        engine.scan(namespace, from, to, (key, value) -> keys.add(hex(key)));
        return keys;
    }

    /** Hex strings of distinct keys, sorted: lowercase hex sorts as unsigned bytes do. */
    static List<String> hex(List<byte[]> keys) {
        return keys.stream().map(StorageTestSupport::hex).distinct().sorted().toList();
    }

    static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    static byte[] increment(byte[] current) {
        return ByteBuffer.allocate(Long.BYTES).putLong(counter(current) + 1).array();
    }

    static long counter(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] b(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
