package dev.dynamo.core.key;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A bucket and key as stored: {@code [ring position: 8 bytes][bucket length: 1][bucket][key]}.
 *
 * <p>The ring position is the first 64 bits of MD5(bucket length, bucket, key), as in Dynamo
 * (section 4.2). Because it leads the stored key, each of the Q equal partitions of the ring is
 * one contiguous range of stored keys, whatever Q is, so partitions can be scanned, hashed and
 * streamed in order without an index.
 */
public record StorageKey(String bucket, byte[] key, long position) {

    /** The position on the ring of a bucket and key. */
    public static StorageKey of(String bucket, byte[] key) {
        return new StorageKey(bucket, key, position(bucket, key));
    }

    /** The stored form. */
    public byte[] encode() {
        byte[] name = bucket.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(Long.BYTES + 1 + name.length + key.length)
                .putLong(position).put((byte) name.length).put(name).put(key).array();
    }

    /**
     * Reads a stored form made by {@link #encode()}.
     *
     * @throws IllegalArgumentException when {@code stored} is too short for its bucket, so that keys
     *     received from other nodes can be checked
     */
    public static StorageKey decode(byte[] stored) {
        if (stored.length <= Long.BYTES || stored.length < Long.BYTES + 1 + Byte.toUnsignedInt(stored[Long.BYTES])) {
            throw new IllegalArgumentException("stored key is truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(stored);
        long position = in.getLong();
        byte[] name = new byte[Byte.toUnsignedInt(in.get())];
        in.get(name);
        byte[] key = new byte[in.remaining()];
        in.get(key);
        return new StorageKey(new String(name, StandardCharsets.US_ASCII), key, position);
    }

    /**
     * This key in a node's key index: {@code [bucket length: 1][bucket][key]}, the stored form without its
     * ring position, so that a bucket's keys lie together in byte order.
     */
    public byte[] indexKey() {
        byte[] prefix = indexPrefix(bucket);
        return ByteBuffer.allocate(prefix.length + key.length).put(prefix).put(key).array();
    }

    /** The ring position as the key index stores it beside {@link #indexKey()}. */
    public byte[] indexValue() {
        return ByteBuffer.allocate(Long.BYTES).putLong(position).array();
    }

    /** The key that an index entry ({@link #indexKey()}, {@link #indexValue()}) of {@code bucket} names. */
    public static StorageKey fromIndex(String bucket, byte[] indexKey, byte[] indexValue) {
        int prefix = 1 + bucket.length();
        return new StorageKey(bucket, Arrays.copyOfRange(indexKey, prefix, indexKey.length),
                ByteBuffer.wrap(indexValue).getLong());
    }

    /** What every index key of {@code bucket} starts with; the bucket's keys follow it in byte order. */
    public static byte[] indexPrefix(String bucket) {
        byte[] name = bucket.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(1 + name.length).put((byte) name.length).put(name).array();
    }

    /** The first stored key at or after a ring position: the start of a scan range. */
    public static byte[] rangeStart(long position) {
        return ByteBuffer.allocate(Long.BYTES).putLong(position).array();
    }

    static long position(String bucket, byte[] key) {
        MessageDigest md5 = md5();
        byte[] name = bucket.getBytes(StandardCharsets.US_ASCII);
        md5.update((byte) name.length);
        md5.update(name);
        md5.update(key);
        return ByteBuffer.wrap(md5.digest()).getLong();
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageKey other && bucket.equals(other.bucket) && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return 31 * bucket.hashCode() + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return bucket + "/" + KeyNames.printable(key);
    }
}
