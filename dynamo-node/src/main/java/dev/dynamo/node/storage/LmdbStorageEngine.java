package dev.dynamo.node.storage;

import dev.dynamo.node.storage.GroupCommitter.Write;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.EnvInfo;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava: one environment in {@code directory} (its {@code data.mdb} and
 * {@code lock.mdb}), one named database per {@link Namespace}, a memory map of {@code maxSize}
 * bytes. Keys longer than LMDB's limit are laid out as {@link LmdbTable} explains.
 *
 * <p>Durability per {@link SyncPolicy}:
 * <ul>
 *   <li>ALWAYS: LMDB's default commit, which syncs the data pages and then the meta page before
 *       returning; an acknowledged write survives power loss.</li>
 *   <li>INTERVAL: {@code MDB_NOSYNC} commits plus {@code mdb_env_sync} every interval. A process
 *       crash loses nothing (the pages are in the OS cache); an OS crash or power loss can undo
 *       the commits of the last interval, and, per LMDB's documentation, can corrupt the
 *       database unless the filesystem keeps writes in order.</li>
 *   <li>NEVER: {@code MDB_NOSYNC} and no sync at all, not even at close: like INTERVAL, with the
 *       window left to the OS.</li>
 * </ul>
 *
 * <p>Reads borrow pooled read transactions ({@link LmdbReaders}); the writer reuses one direct
 * key buffer. A full map ({@code MDB_MAP_FULL}) aborts the batch and fails it with
 * {@link StorageFullException}; reads and later writes carry on.
 */
public final class LmdbStorageEngine extends GroupCommitStorageEngine {

    private static final int MAX_READERS = 256;

    private final Env<ByteBuffer> env;
    private final Map<Namespace, LmdbTable> tables = new EnumMap<>(Namespace.class);
    private final LmdbReaders readers;
    private final ByteBuffer writerScratch = ByteBuffer.allocateDirect(LmdbTable.LMDB_MAX_KEY);

    /**
     * @param directory    the environment's directory, created if missing
     * @param maxSize      the memory map size: the most bytes the database file may reach
     * @param syncInterval how often to sync under {@link SyncPolicy#INTERVAL}; ignored otherwise
     */
    public LmdbStorageEngine(Path directory, long maxSize, SyncPolicy sync, Duration syncInterval) {
        this(directory, maxSize, sync, syncInterval, LmdbTable::hash);
    }

    /** With the hash of long keys replaced, so tests can force collisions. */
    LmdbStorageEngine(Path directory, long maxSize, SyncPolicy sync, Duration syncInterval,
                      ToLongFunction<byte[]> longKeyHash) {
        super("lmdb", maxSize, sync, syncInterval);
        createDirectories(directory);
        EnvFlags[] flags = sync == SyncPolicy.ALWAYS
                ? new EnvFlags[] {EnvFlags.MDB_NOTLS}
                : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC};
        env = Env.create().setMapSize(maxSize).setMaxDbs(Namespace.values().length)
                .setMaxReaders(MAX_READERS).open(directory.toFile(), flags);
        try {
            if (env.getMaxKeySize() < LmdbTable.LMDB_MAX_KEY) {
                throw new StorageException("this LMDB build accepts keys of " + env.getMaxKeySize()
                        + " bytes; the stored layout needs " + LmdbTable.LMDB_MAX_KEY);
            }
            for (Namespace namespace : Namespace.values()) {
                String name = namespace.name().toLowerCase(Locale.ROOT);
                tables.put(namespace, new LmdbTable(env.openDbi(name, DbiFlags.MDB_CREATE), longKeyHash));
            }
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
        readers = new LmdbReaders(env, MAX_READERS);
    }

    @Override
    byte[] readCommitted(Namespace namespace, byte[] key) {
        return readers.read(reader -> tables.get(namespace).get(reader.txn(), reader.scratch(), key));
    }

    @Override
    void scanCommitted(Namespace namespace, byte[] from, byte[] to, EntryVisitor visitor) {
        readers.read(reader -> {
            tables.get(namespace).scan(reader.txn(), reader.scratch(), from, to, visitor);
            return null;
        });
    }

    @Override
    void commitBatch(List<Write> writes) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (Write write : writes) {
                tables.get(write.namespace()).put(txn, writerScratch, write.key(), write.value());
            }
            txn.commit();
        } catch (Env.MapFullException e) {
            throw storeFull(e);
        } catch (LmdbException e) {
            throw new StorageException("LMDB commit of " + writes.size() + " writes failed", e);
        }
    }

    @Override
    void syncToDisk() {
        env.sync(true);
    }

    /** The pages up to the highest in use: what the data file holds and what counts against the map. */
    @Override
    long usedBytes() {
        EnvInfo info = env.info();
        return (info.lastPageNumber + 1) * env.stat().pageSize;
    }

    @Override
    void release() {
        readers.close();
        env.close();
    }
}
