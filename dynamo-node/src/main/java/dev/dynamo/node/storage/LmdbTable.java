package dev.dynamo.node.storage;

import dev.dynamo.node.storage.StorageEngine.EntryVisitor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * One namespace in one LMDB database, holding keys longer than LMDB's 511-byte key limit.
 *
 * <p>Layout. A key of up to {@value #PREFIX} bytes is stored as itself, its value as itself. A
 * longer key is stored as {@code [its first 502 bytes][8-byte hash of the key][1-byte slot]}
 * (exactly 511 bytes), and its value as {@code [2-byte length of the rest of the key][rest of
 * the key][value]}, so the full key is always recoverable. The slot tells apart long keys whose
 * prefix and hash both collide: a lookup walks the (normally single) entry of its prefix and
 * hash and compares the full keys, so a collision costs time, never correctness.
 *
 * <p>Why this keeps scans exact. Stored-key order equals key order except among long keys that
 * share their first 502 bytes, and those sit next to each other: every shorter key sorts before
 * or after the whole run. So a scan seeks to the first 502 bytes of {@code from}, stops once the
 * first 502 bytes of a stored key pass those of {@code to}, buffers each run of long keys with a
 * common prefix to sort it by full key, and checks {@code from <= key < to} exactly. Every key
 * is visited once, in order; with ring-position-led keys a partition boundary never splits a run.
 */
final class LmdbTable {

    /** LMDB's compiled-in limit; checked against the library when the engine opens. */
    static final int LMDB_MAX_KEY = 511;
    static final int PREFIX = LMDB_MAX_KEY - Long.BYTES - 1;
    private static final int SLOT = PREFIX + Long.BYTES;
    private static final int SLOTS = 256;

    private record Entry(byte[] key, byte[] value) {
    }

    private static final Comparator<Entry> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key, b.key);

    private final Dbi<ByteBuffer> dbi;
    private final ToLongFunction<byte[]> longKeyHash;

    LmdbTable(Dbi<ByteBuffer> dbi, ToLongFunction<byte[]> longKeyHash) {
        this.dbi = dbi;
        this.longKeyHash = longKeyHash;
    }

    /** The value under {@code key}; {@code scratch} is a direct buffer of {@value #LMDB_MAX_KEY} bytes. */
    byte[] get(Txn<ByteBuffer> txn, ByteBuffer scratch, byte[] key) {
        if (key.length <= PREFIX) {
            ByteBuffer value = dbi.get(txn, fill(scratch, key, key.length));
            return value == null ? null : copy(value, 0);
        }
        try (Cursor<ByteBuffer> cursor = dbi.openCursor(txn)) {
            return findLong(cursor, scratch, key) >= 0 ? copy(cursor.val(), 2 + key.length - PREFIX) : null;
        }
    }

    /** Stores {@code value} under {@code key}, or deletes it when {@code value} is {@code null}. */
    void put(Txn<ByteBuffer> txn, ByteBuffer scratch, byte[] key, byte[] value) {
        if (key.length <= PREFIX) {
            fill(scratch, key, key.length);
            if (value == null) {
                dbi.delete(txn, scratch);
            } else {
                dbi.reserve(txn, scratch, value.length).put(value);
            }
            return;
        }
        try (Cursor<ByteBuffer> cursor = dbi.openCursor(txn)) {
            int found = findLong(cursor, scratch, key);
            if (value == null) {
                if (found >= 0) {
                    cursor.delete();
                }
                return;
            }
            int slot = found >= 0 ? found : -found - 1;
            if (slot == SLOTS) {
                throw new StorageException(SLOTS + " long keys already share this key's prefix and hash");
            }
            int rest = key.length - PREFIX;
            ByteBuffer stored = dbi.reserve(txn, scratch.limit(LMDB_MAX_KEY).put(SLOT, (byte) slot), 2 + rest + value.length);
            stored.put((byte) (rest >>> 8)).put((byte) rest).put(key, PREFIX, rest).put(value);
        }
    }

    /** Visits {@code from <= key < to} in key order until the visitor declines. */
    void scan(Txn<ByteBuffer> txn, ByteBuffer scratch, byte[] from, byte[] to, EntryVisitor visitor) {
        try (Cursor<ByteBuffer> cursor = dbi.openCursor(txn)) {
            int start = Math.min(from.length, PREFIX);
            boolean more = start == 0 ? cursor.first() : cursor.get(fill(scratch, from, start), GetOp.MDB_SET_RANGE);
            List<Entry> run = new ArrayList<>();
            while (more) {
                byte[] first = copy(cursor.key(), 0);
                if (to != null && Arrays.compareUnsigned(first, 0, Math.min(first.length, PREFIX),
                        to, 0, Math.min(to.length, PREFIX)) > 0) {
                    return;
                }
                run.clear();
                run.add(entry(first, cursor.val()));
                more = cursor.next();
                // every long key sharing this prefix, which LMDB orders by hash: sort it by key
                while (more && first.length > PREFIX && sharesPrefix(cursor.key(), first)) {
                    run.add(entry(copy(cursor.key(), 0), cursor.val()));
                    more = cursor.next();
                }
                run.sort(BY_KEY);
                for (Entry entry : run) {
                    if (to != null && Arrays.compareUnsigned(entry.key, to) >= 0) {
                        return;
                    }
                    if (Arrays.compareUnsigned(entry.key, from) >= 0 && !visitor.visit(entry.key, entry.value)) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Positions {@code cursor} on the long {@code key}: its slot when present, else
     * {@code -(first free slot) - 1}. Leaves {@code scratch} holding the key's prefix and hash.
     */
    private int findLong(Cursor<ByteBuffer> cursor, ByteBuffer scratch, byte[] key) {
        scratch.clear().put(key, 0, PREFIX).putLong(longKeyHash.applyAsLong(key)).flip();
        ByteBuffer prefixAndHash = scratch.duplicate();
        int free = 0;
        for (boolean more = cursor.get(scratch, GetOp.MDB_SET_RANGE);
             more && cursor.key().remaining() == LMDB_MAX_KEY && cursor.key().slice(0, SLOT).equals(prefixAndHash);
             more = cursor.next()) {
            int slot = cursor.key().get(SLOT) & 0xff;
            if (restMatches(cursor.val(), key)) {
                return slot;
            }
            if (slot == free) {
                free++; // slots come in ascending order, so the first gap is the first free slot
            }
        }
        return -free - 1;
    }

    private static boolean restMatches(ByteBuffer stored, byte[] key) {
        int rest = key.length - PREFIX;
        return restLength(stored) == rest && stored.slice(2, rest).equals(ByteBuffer.wrap(key, PREFIX, rest));
    }

    private static int restLength(ByteBuffer stored) {
        return (stored.get(0) & 0xff) << 8 | stored.get(1) & 0xff;
    }

    private static Entry entry(byte[] storedKey, ByteBuffer storedValue) {
        if (storedKey.length <= PREFIX) {
            return new Entry(storedKey, copy(storedValue, 0));
        }
        int rest = restLength(storedValue);
        byte[] key = Arrays.copyOf(storedKey, PREFIX + rest);
        storedValue.get(2, key, PREFIX, rest);
        return new Entry(key, copy(storedValue, 2 + rest));
    }

    private static boolean sharesPrefix(ByteBuffer storedKey, byte[] longKey) {
        return storedKey.remaining() > PREFIX && storedKey.slice(0, PREFIX).equals(ByteBuffer.wrap(longKey, 0, PREFIX));
    }

    private static ByteBuffer fill(ByteBuffer scratch, byte[] bytes, int length) {
        return scratch.clear().put(bytes, 0, length).flip();
    }

    private static byte[] copy(ByteBuffer buffer, int from) {
        byte[] bytes = new byte[buffer.remaining() - from];
        buffer.get(buffer.position() + from, bytes);
        return bytes;
    }

    /** The default long-key hash: FNV-1a, then MurmurHash3's finaliser to spread the bits. */
    static long hash(byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ h >>> 33) * 0xff51afd7ed558ccdL;
        h = (h ^ h >>> 33) * 0xc4ceb9fe1a85ec53L;
        return h ^ h >>> 33;
    }
}
