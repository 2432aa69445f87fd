package dev.dynamo.node.storage;

import dev.dynamo.node.storage.GroupCommitter.Write;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2's MVStore used directly: one file {@code directory/dynamo.mv.db}, one ordered map per
 * {@link Namespace}. Not H2's SQL layer: a key-value seam needs ordered maps, not SQL parsing,
 * a schema, or type conversion on every call. Keys use {@link ByteArrayDataType}, whose
 * comparison is {@link Arrays#compareUnsigned(byte[], byte[])}, the order the contract needs.
 *
 * <p>MVStore's own auto-commit is disabled, so a commit happens exactly once per batch, when
 * the writer has put the batch into the maps. Readers may see a batch while it is being
 * committed; a batch whose commit fails is rolled back. Disabling auto-commit also stops
 * MVStore's background housekeeping, so the writer does it: every {@value #COMPACT_EVERY}
 * commits it rewrites up to 1 MiB of the emptiest chunks while they are less than
 * {@value #COMPACT_FILL_RATE}% live. Without that, one small commit per batch leaves the file
 * growing without bound; measured at 20,000 commits of 10 random puts over 50,000 keys, the file
 * reached 1.6 GB at MVStore's defaults, 46 MB with immediate chunk reuse, about 13 MB with both.
 *
 * <p>Old chunks are reused once no reader needs them ({@link MVStore#registerVersionUsage()}
 * pins the version a read started on) and once the commit that freed them is surely on disk:
 * at once under ALWAYS, after two sync intervals under INTERVAL, and after MVStore's default
 * retention of 45 seconds under NEVER, where the OS decides when to write. The price under NEVER:
 * every commit writes a chunk (tens of KB for a small batch) that stays for those 45 seconds,
 * so under heavy writes the file holds hundreds of MB of dead chunks, counted against
 * {@code maxSize}; prefer INTERVAL with H2.
 *
 * <p>MVStore has no size cap, so the engine keeps one: a batch that adds data is refused with
 * {@link StorageFullException}, before anything is applied, when the file's used space plus
 * what the batch adds (its keys and values less those they replace) would pass {@code maxSize}.
 * Batches that delete or shrink values always run, so data can be deleted to make room, a
 * tombstone replacing a value included; freed space becomes usable once MVStore releases the
 * old chunks (after its retention time).
 *
 * <p>Durability per {@link SyncPolicy}:
 * <ul>
 *   <li>ALWAYS: each batch's chunk is written, then the file is forced ({@link MVStore#sync()},
 *       {@code FileChannel.force}); an acknowledged write survives power loss.</li>
 *   <li>INTERVAL: each batch is written to the OS at commit and the file is forced every
 *       interval. A process crash loses nothing; an OS crash or power loss can lose the last
 *       interval. MVStore finds the newest intact chunk on open, and keeps old chunks for at
 *       least twice the interval so they are still there to fall back on.</li>
 *   <li>NEVER: written to the OS at commit and never forced by the engine.</li>
 * </ul>
 */
public final class H2StorageEngine extends GroupCommitStorageEngine {

    private static final Logger LOG = LoggerFactory.getLogger(H2StorageEngine.class);
    private static final String FILE_NAME = "dynamo.mv.db";
    static final int COMPACT_EVERY = 16;
    static final int COMPACT_FILL_RATE = 80;
    private static final int COMPACT_WRITE_BYTES = 1 << 20;

    private final SyncPolicy sync;
    private final MVStore store;
    private final Map<Namespace, MVMap<byte[], byte[]>> maps = new EnumMap<>(Namespace.class);
    private long commits; // writer thread only

    /**
     * @param directory    the directory of the store file, created if missing
     * @param maxSize      the most bytes the store file may use
     * @param syncInterval how often to sync under {@link SyncPolicy#INTERVAL}; ignored otherwise
     */
    public H2StorageEngine(Path directory, long maxSize, SyncPolicy sync, Duration syncInterval) {
        super("h2", maxSize, sync, syncInterval);
        createDirectories(directory);
        this.sync = sync;
        this.store = new MVStore.Builder()
                .fileName(directory.resolve(FILE_NAME).toString())
                .autoCommitDisabled()
                .open();
        switch (sync) {
            case ALWAYS -> store.setRetentionTime(0);
            case INTERVAL -> store.setRetentionTime((int) Math.min(Integer.MAX_VALUE, 2 * syncInterval.toMillis()));
            case NEVER -> { } // MVStore's default
        }
        try {
            for (Namespace namespace : Namespace.values()) {
                maps.put(namespace, store.openMap(namespace.name().toLowerCase(Locale.ROOT), new MVMap.Builder<byte[], byte[]>()
                        .keyType(ByteArrayDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE)));
            }
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    @Override
    byte[] readCommitted(Namespace namespace, byte[] key) {
        MVStore.TxCounter pin = store.registerVersionUsage();
        try {
            byte[] value = maps.get(namespace).get(key);
            return value == null ? null : value.clone();
        } finally {
            store.deregisterVersionUsage(pin);
        }
    }

    /** An MVStore cursor walks the map's root as of its creation: a consistent snapshot. */
    @Override
    void scanCommitted(Namespace namespace, byte[] from, byte[] to, EntryVisitor visitor) {
        MVStore.TxCounter pin = store.registerVersionUsage();
        try {
            Cursor<byte[], byte[]> cursor = maps.get(namespace).cursor(from);
            while (cursor.hasNext()) {
                byte[] key = cursor.next();
                if (to != null && Arrays.compareUnsigned(key, to) >= 0
                        || !visitor.visit(key.clone(), cursor.getValue().clone())) {
                    return;
                }
            }
        } finally {
            store.deregisterVersionUsage(pin);
        }
    }

    @Override
    void commitBatch(List<Write> writes) {
        long added = 0;
        for (Write write : writes) {
            added += entryBytes(write.key(), write.value())
                    - entryBytes(write.key(), maps.get(write.namespace()).get(write.key()));
        }
        if (added > 0 && usedBytes() + added > maxSize()) {
            throw storeFull(null);
        }
        try {
            for (Write write : writes) {
                MVMap<byte[], byte[]> map = maps.get(write.namespace());
                if (write.value() == null) {
                    map.remove(write.key());
                } else {
                    map.put(write.key(), write.value().clone());
                }
            }
            store.commit();
            if (sync == SyncPolicy.ALWAYS) {
                store.sync();
            }
        } catch (RuntimeException e) {
            try {
                store.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw new StorageException("H2 commit of " + writes.size() + " writes failed", e);
        }
        if (++commits % COMPACT_EVERY == 0) {
            compact();
        }
    }

    private static long entryBytes(byte[] key, byte[] value) {
        return value == null ? 0 : key.length + value.length;
    }

    /** Marks the pages of the emptiest chunks for rewriting; they go out with the next commit. */
    private void compact() {
        try {
            store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES);
        } catch (RuntimeException e) {
            LOG.warn("H2 compaction failed; the batch is committed, compaction is retried later", e);
        }
    }

    @Override
    void syncToDisk() {
        store.sync();
    }

    /** The file's size times the share of it in use. */
    @Override
    long usedBytes() {
        FileStore<?> file = store.getFileStore();
        return file.size() * file.getFillRate() / 100;
    }

    @Override
    void release() {
        store.close();
    }
}
