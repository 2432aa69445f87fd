package dev.dynamo.core.ring;

import dev.dynamo.core.key.StorageKey;

/**
 * The stored keys of partition {@code partition} of a ring of {@code partitions}: every key whose ring
 * position (its 8-byte prefix, see {@link StorageKey}) falls in the partition, one contiguous range in
 * unsigned byte order. What a partition transfer scans, resumes in and deletes.
 */
public record PartitionRange(int partitions, int partition) {

    /** @throws IllegalArgumentException when Q is not a valid partition count or the partition not below it */
    public PartitionRange {
        Ring.checkPartitions(partitions);
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " out of range 0.." + (partitions - 1));
        }
    }

    /** The first stored key of the range (inclusive). */
    public byte[] start() {
        return StorageKey.rangeStart(firstPosition());
    }

    /** The first stored key after the range (exclusive), or null for the last partition, which runs to the end. */
    public byte[] end() {
        return partition + 1 == partitions ? null : new PartitionRange(partitions, partition + 1).start();
    }

    /** Whether a ring position falls in this partition. */
    public boolean contains(long position) {
        return bits() == 0 || (int) (position >>> (Long.SIZE - bits())) == partition;
    }

    /**
     * The share, in (0, 1], of this partition's positions that are at or below {@code position}, one of
     * its own. Positions are MD5 bits, spread evenly, so the keys up to a position are about that share
     * of all the partition's keys: what sizing up a partition from its first keys relies on.
     */
    public double shareUpTo(long position) {
        if (!contains(position)) {
            throw new IllegalArgumentException("position " + Long.toHexString(position) + " is not in " + this);
        }
        long offset = position - firstPosition(); // unsigned, below the width
        double unsignedOffset = (offset >>> 1) * 2.0 + (offset & 1);
        return (unsignedOffset + 1) / Math.scalb(1.0, Long.SIZE - bits());
    }

    private long firstPosition() {
        return bits() == 0 ? 0 : (long) partition << (Long.SIZE - bits());
    }

    private int bits() {
        return Integer.numberOfTrailingZeros(partitions);
    }
}
